//! List Children: `POST /api/p/<project gid>/assets/children`.

use assetkit_core::Result;
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use serde::Serialize;

use crate::paging::{more_after, pages};
use crate::unicat::{Asset, AssetRef, UnicatClient};
use crate::{CallOptions, RequestOptions};

/// List Children: `POST /api/p/<project gid>/assets/children`.
///
/// The contents of a folder, a page at a time. The body names the parent as
/// `{"asset": gid}` or `{"pathname": "/path"}` and pages with `page.top` (0-based index of
/// the first child, default 0) and `page.size` (how many, Unicat's default 100). The answer
/// lists `result.children` (folders first, then by name), joined to their records in
/// `data.assets`, and `result["children.size"]`, the number of children in all.
///
/// [`send`](Self::send) fetches one page (sending `page.size` only when set);
/// [`into_pages`](Self::into_pages) streams the pages from [`top`](Self::top) to the end,
/// always sending `page.size` (100 unless [`page_size`](Self::page_size) says otherwise),
/// moving `page.top` on by the number of children each page held, and stops at
/// `children.size` (or, should Unicat leave it out, at an empty page or one shorter than
/// the page size); [`into_stream`](Self::into_stream) yields the assets one by one. The
/// per-call options apply to every page's request (not to the sign-in).
///
/// See also: [assets/children](https://docs.unicat.app/api/reference/p/assets/children) in
/// the Unicat API reference.
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty parent gid, a parent pathname not
///   starting with `/`.
/// - `Unprocessable` (422) for a parent that does not exist, `BadRequest` (400),
///   `Unauthorized` (401) when signing in fails, `Forbidden` (403) for a key that is not a
///   member of the project, `RateLimited` (429), `Server` (5xx); `Decode` for an answer
///   without `result.children`. A stream yields the error and ends.
///
/// # Examples
///
/// ```no_run
/// # async fn demo(client: assetkit::unicat::UnicatClient) -> assetkit::Result<()> {
/// use assetkit::unicat::AssetRef;
/// use futures::TryStreamExt;
///
/// let mut pages = client.assets().children(AssetRef::pathname("/products")).page_size(50).into_pages();
/// while let Some(page) = pages.try_next().await? {
///     for child in &page.children {
///         println!("{:?}", child.pathname);
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited or the stream is polled"]
pub struct ListChildren {
    client: UnicatClient,
    parent: AssetRef,
    top: u64,
    size: Option<u64>,
    options: CallOptions,
}

impl RequestOptions for ListChildren {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

/// Unicat's documented default `page.size` for `assets/children`.
const DEFAULT_PAGE_SIZE: u64 = 100;

/// One page of children.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ChildrenPage {
    /// The children on this page, folders first, then by name.
    pub children: Vec<Asset>,
    /// The number of children in all (`children.size`), when Unicat sent it.
    pub total: Option<u64>,
    /// The index of this page's first child (`page.top`).
    pub top: u64,
}

/// The JSON body of `assets/children`: the parent by gid or by pathname, and the page.
#[derive(Serialize)]
struct ChildrenBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    asset: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pathname: Option<&'a str>,
    #[serde(rename = "page.top")]
    top: u64,
    #[serde(rename = "page.size", skip_serializing_if = "Option::is_none")]
    size: Option<u64>,
}

impl<'a> ChildrenBody<'a> {
    fn new(parent: &'a AssetRef, top: u64, size: Option<u64>) -> Self {
        let (asset, pathname) = match parent {
            AssetRef::Gid(gid) => (Some(gid.as_str()), None),
            AssetRef::Pathname(pathname) => (None, Some(pathname.as_str())),
        };
        Self {
            asset,
            pathname,
            top,
            size,
        }
    }
}

impl ListChildren {
    pub(crate) fn new(client: UnicatClient, parent: AssetRef) -> Self {
        Self {
            client,
            parent,
            top: 0,
            size: None,
            options: CallOptions::default(),
        }
    }

    /// The index of the first child to return (`page.top`, 0-based).
    pub fn top(mut self, top: u64) -> Self {
        self.top = top;
        self
    }

    /// How many children a page holds (`page.size`; Unicat's default is 100).
    pub fn page_size(mut self, size: u64) -> Self {
        self.size = Some(size);
        self
    }

    /// Fetches one page, starting at [`top`](Self::top).
    pub async fn send(self) -> Result<ChildrenPage> {
        self.parent.validate()?;
        fetch(&self.client, &self.options, &self.parent, self.top, self.size).await
    }

    /// Streams the pages from [`top`](Self::top) to the last one.
    pub fn into_pages(self) -> BoxStream<'static, Result<ChildrenPage>> {
        let Self {
            client,
            parent,
            top,
            size,
            options,
        } = self;
        // An explicit size lets a short page end the walk even without `children.size`.
        let size = size.unwrap_or(DEFAULT_PAGE_SIZE);
        if let Err(error) = parent.validate() {
            return stream::once(async move { Err(error) }).boxed();
        }
        pages(top, move |top| {
            let client = client.clone();
            let parent = parent.clone();
            let options = options.clone();
            async move {
                let page = fetch(&client, &options, &parent, top, Some(size)).await?;
                let count = page.children.len() as u64;
                let more = more_after(top, count, page.total, Some(size));
                Ok((page, more.then_some(top + count)))
            }
        })
    }

    /// Streams the children one by one, across all pages (see
    /// [`into_pages`](Self::into_pages)).
    pub fn into_stream(self) -> BoxStream<'static, Result<Asset>> {
        self.into_pages()
            .map_ok(|page| stream::iter(page.children.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }

    /// The former name of [`into_pages`](Self::into_pages).
    #[deprecated(note = "use `into_pages`, the one name every listing uses")]
    pub fn pages(self) -> BoxStream<'static, Result<ChildrenPage>> {
        self.into_pages()
    }

    /// The former name of [`into_stream`](Self::into_stream).
    #[deprecated(note = "use `into_stream`, the one name every listing uses")]
    pub fn stream(self) -> BoxStream<'static, Result<Asset>> {
        self.into_stream()
    }
}

async fn fetch(
    client: &UnicatClient,
    options: &CallOptions,
    parent: &AssetRef,
    top: u64,
    size: Option<u64>,
) -> Result<ChildrenPage> {
    let body = ChildrenBody::new(parent, top, size);
    let request = client
        .post_json(&["assets", "children"], &body, "unicat.assets_children")?
        .idempotent(true);
    let answer = client.call(options.apply(request)).await?;
    let children = answer
        .gids("children")
        .ok_or_else(|| answer.missing("Unicat assets/children answer", "no result.children list"))?
        .into_iter()
        .map(|gid| answer.asset(gid))
        .collect();
    Ok(ChildrenPage {
        children,
        total: answer.number("children.size"),
        top,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_body_names_the_parent_and_the_page() {
        let gid = AssetRef::gid("96ec02b2-fb8d-4fb4-b952-fad0c4b88a74");
        assert_eq!(
            serde_json::to_value(ChildrenBody::new(&gid, 0, None)).unwrap(),
            json!({"asset": "96ec02b2-fb8d-4fb4-b952-fad0c4b88a74", "page.top": 0})
        );
        let path = AssetRef::pathname("/products");
        assert_eq!(
            serde_json::to_value(ChildrenBody::new(&path, 100, Some(50))).unwrap(),
            json!({"pathname": "/products", "page.top": 100, "page.size": 50})
        );
    }
}
