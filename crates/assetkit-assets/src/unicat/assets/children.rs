//! `POST /api/p/<project gid>/assets/children`: the contents of a folder, paginated.

use assetkit_core::Result;
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use serde_json::{Value, json};

use crate::paging::{more_after, pages};
use crate::unicat::{Asset, AssetRef, UnicatClient};

/// Lists a folder's children: `POST /api/p/<project gid>/assets/children`.
///
/// The body names the parent as `{"asset": gid}` or `{"pathname": "/path"}` and pages with
/// `page.top` (0-based index of the first child, default 0) and `page.size` (how many,
/// Unicat's default 100). The answer lists `result.children` (folders first, then by
/// name), joined to their records in `data.assets`, and `result["children.size"]`, the
/// number of children in all.
///
/// [`send`](Self::send) fetches one page (sending `page.size` only when set);
/// [`pages`](Self::pages) streams the pages from [`top`](Self::top) to the end, always
/// sending `page.size` (100 unless set), moving `page.top` on by the number of children
/// each page held, and stops at `children.size` (or, should Unicat leave it out, at an
/// empty page or one shorter than the page size); [`stream`](Self::stream) yields the
/// assets one by one. The stream ends after its first error.
///
/// A parent that does not exist is `Unprocessable` (422).
///
/// ```no_run
/// # async fn demo(client: assetkit_assets::unicat::UnicatClient) -> assetkit_core::Result<()> {
/// use assetkit_assets::unicat::AssetRef;
/// use futures::TryStreamExt;
///
/// let mut pages = client.assets().children(AssetRef::pathname("/products")).page_size(50).pages();
/// while let Some(page) = pages.try_next().await? {
///     for child in &page.children {
///         println!("{:?}", child.pathname);
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct ListChildren {
    client: UnicatClient,
    parent: AssetRef,
    top: u64,
    size: Option<u64>,
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

impl ListChildren {
    pub(crate) fn new(client: UnicatClient, parent: AssetRef) -> Self {
        Self {
            client,
            parent,
            top: 0,
            size: None,
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
        fetch(&self.client, &self.parent, self.top, self.size).await
    }

    /// Streams the pages from [`top`](Self::top) to the last one.
    pub fn pages(self) -> BoxStream<'static, Result<ChildrenPage>> {
        let Self {
            client,
            parent,
            top,
            size,
        } = self;
        // An explicit size lets a short page end the walk even without `children.size`.
        let size = size.unwrap_or(DEFAULT_PAGE_SIZE);
        if let Err(error) = parent.validate() {
            return stream::once(async move { Err(error) }).boxed();
        }
        pages(top, move |top| {
            let client = client.clone();
            let parent = parent.clone();
            async move {
                let page = fetch(&client, &parent, top, Some(size)).await?;
                let count = page.children.len() as u64;
                let more = more_after(top, count, page.total, Some(size));
                Ok((page, more.then_some(top + count)))
            }
        })
    }

    /// Streams the children one by one, across all pages.
    pub fn stream(self) -> BoxStream<'static, Result<Asset>> {
        self.pages()
            .map_ok(|page| stream::iter(page.children.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }
}

async fn fetch(
    client: &UnicatClient,
    parent: &AssetRef,
    top: u64,
    size: Option<u64>,
) -> Result<ChildrenPage> {
    let mut body = match parent {
        AssetRef::Gid(gid) => json!({ "asset": gid }),
        AssetRef::Pathname(pathname) => json!({ "pathname": pathname }),
    };
    body["page.top"] = Value::from(top);
    if let Some(size) = size {
        body["page.size"] = Value::from(size);
    }
    let request = client
        .post_json(&["assets", "children"], &body, "unicat.assets_children")?
        .idempotent(true);
    let answer = client.call(request).await?;
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
