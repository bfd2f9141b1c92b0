//! List Assets: `GET /sites/{site_id}/assets?offset=&limit=`.

use assetkit_core::{Error, Request, Result};
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};

use crate::paging::{more_after, pages};
use crate::webflow::{Asset, AssetPage, MAX_PAGE_SIZE, WebflowClient};
use crate::{CallOptions, RequestOptions, require_non_blank};

/// List Assets: `GET /sites/{site_id}/assets?offset=&limit=`.
///
/// A site's assets, a page at a time: [`send`](Self::send) fetches one page;
/// [`into_pages`](Self::into_pages) streams the pages from [`offset`](Self::offset) on,
/// one request each, until a page is empty, the reported `total` is reached, or a page
/// comes back shorter than the page size; [`into_stream`](Self::into_stream) yields the
/// assets one by one across pages. [`page_size`](Self::page_size) is sent as `limit`
/// (1 to 100). The per-call options apply to every page's request.
///
/// See also: [List Assets](https://developers.webflow.com/data/reference/assets/assets/list)
/// in the Webflow Data API reference.
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty site id, a page size outside 1 to 100.
/// - `NotFound` (404) for an unknown site, `Unauthorized` (401), `Forbidden` (403)
///   without the `assets:read` scope, `BadRequest` (400), `RateLimited` (429),
///   `Server` (5xx). A stream yields the error and ends.
///
/// # Examples
///
/// ```no_run
/// # async fn run(client: assetkit::webflow::WebflowClient) -> assetkit::Result<()> {
/// use futures::TryStreamExt;
///
/// let first = client.assets().list("580e63e98c9a982ac9b8b741").page_size(100).send().await?;
/// println!("{} assets in all", first.pagination.total.unwrap_or_default());
///
/// let mut assets = client.assets().list("580e63e98c9a982ac9b8b741").into_stream();
/// while let Some(asset) = assets.try_next().await? {
///     println!("{} {:?}", asset.id, asset.display_name);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited or the stream is polled"]
pub struct ListAssets {
    client: WebflowClient,
    site_id: String,
    offset: Option<u64>,
    page_size: Option<u32>,
    locale_id: Option<String>,
    folder_id: Option<String>,
    options: CallOptions,
}

impl RequestOptions for ListAssets {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

impl ListAssets {
    pub(crate) fn new(client: WebflowClient, site_id: String) -> Self {
        Self {
            client,
            site_id,
            offset: None,
            page_size: None,
            locale_id: None,
            folder_id: None,
            options: CallOptions::default(),
        }
    }

    /// Lists the assets of this locale (localized sites), sent as `localeId`.
    pub fn locale_id(mut self, locale_id: impl Into<String>) -> Self {
        self.locale_id = Some(locale_id.into());
        self
    }

    /// Lists only the assets of this asset folder, sent as `folderId`.
    pub fn folder_id(mut self, folder_id: impl Into<String>) -> Self {
        self.folder_id = Some(folder_id.into());
        self
    }

    /// Skips the first `offset` assets.
    pub fn offset(mut self, offset: impl Into<u64>) -> Self {
        self.offset = Some(offset.into());
        self
    }

    /// Asks for at most `size` assets per page, 1 to 100 (sent as `limit`).
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = Some(size);
        self
    }

    /// The former name of [`page_size`](Self::page_size).
    #[deprecated(note = "use `page_size`, the one name every listing uses")]
    pub fn limit(self, limit: impl Into<u32>) -> Self {
        self.page_size(limit.into())
    }

    /// Fetches one page.
    pub async fn send(self) -> Result<AssetPage> {
        require_non_blank("site_id", &self.site_id)?;
        if let Some(size) = self.page_size.filter(|s| *s == 0 || *s > MAX_PAGE_SIZE) {
            return Err(Error::invalid(format!(
                "the page size (limit) must be 1 to {MAX_PAGE_SIZE}, not {size}"
            )));
        }
        let mut request = Request::get(&["sites", &self.site_id, "assets"]).endpoint("webflow.list_assets");
        if let Some(offset) = self.offset {
            request = request.query("offset", offset.to_string());
        }
        if let Some(size) = self.page_size {
            request = request.query("limit", size.to_string());
        }
        if let Some(locale) = &self.locale_id {
            request = request.query("localeId", locale.clone());
        }
        if let Some(folder) = &self.folder_id {
            request = request.query("folderId", folder.clone());
        }
        self.client.http().execute_json(self.options.apply(request)).await
    }

    /// Every page from [`offset`](Self::offset) on, one request per page, until a page is
    /// empty, the reported `total` is reached, or a page comes back shorter than the page
    /// size. An error ends the stream after it is yielded.
    pub fn into_pages(self) -> BoxStream<'static, Result<AssetPage>> {
        pages(self, |this: Self| async move {
            let offset = this.offset.unwrap_or(0);
            let next = this.clone();
            let page = this.send().await?;
            let count = page.assets.len() as u64;
            let page_size = next.page_size.map(u64::from).or(page.pagination.limit);
            let more = more_after(offset, count, page.pagination.total, page_size);
            Ok((page, more.then(|| next.offset(offset + count))))
        })
    }

    /// Every asset, page after page (see [`into_pages`](Self::into_pages)). An error ends
    /// the stream after it is yielded.
    pub fn into_stream(self) -> BoxStream<'static, Result<Asset>> {
        self.into_pages()
            .map_ok(|page| stream::iter(page.assets.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }
}
