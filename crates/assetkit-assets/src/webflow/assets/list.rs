use assetkit_core::{Request, Result};
use futures::stream::Stream;

use crate::paging::{more_after, pages};
use crate::require_non_blank;
use crate::webflow::{AssetPage, MAX_PAGE_SIZE, WebflowClient};

/// List Assets: `GET /sites/{site_id}/assets?offset=&limit=`.
///
/// [`send`](Self::send) fetches one page; [`into_stream`](Self::into_stream) walks the
/// pages from `offset` to the end. `limit` must be 1 to 100 (checked before sending).
///
/// ```no_run
/// # async fn run(client: assetkit_assets::webflow::WebflowClient) -> assetkit_core::Result<()> {
/// use futures::TryStreamExt;
///
/// let first = client.assets().list("580e63e98c9a982ac9b8b741").limit(100u32).send().await?;
/// println!("{} assets in all", first.pagination.total.unwrap_or_default());
///
/// let mut pages = Box::pin(client.assets().list("580e63e98c9a982ac9b8b741").into_stream());
/// while let Some(page) = pages.try_next().await? {
///     for asset in page.assets {
///         println!("{} {:?}", asset.id, asset.display_name);
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct ListAssets {
    client: WebflowClient,
    site_id: String,
    offset: Option<u64>,
    limit: Option<u32>,
}

impl ListAssets {
    pub(crate) fn new(client: WebflowClient, site_id: String) -> Self {
        Self {
            client,
            site_id,
            offset: None,
            limit: None,
        }
    }

    /// Skips the first `offset` assets.
    pub fn offset(mut self, offset: impl Into<u64>) -> Self {
        self.offset = Some(offset.into());
        self
    }

    /// Asks for at most `limit` assets per page (1 to 100).
    pub fn limit(mut self, limit: impl Into<u32>) -> Self {
        self.limit = Some(limit.into());
        self
    }

    /// Fetches one page.
    pub async fn send(self) -> Result<AssetPage> {
        require_non_blank("site_id", &self.site_id)?;
        if let Some(limit) = self.limit.filter(|l| *l == 0 || *l > MAX_PAGE_SIZE) {
            return Err(assetkit_core::Error::invalid(format!(
                "limit must be 1 to {MAX_PAGE_SIZE}, not {limit}"
            )));
        }
        let mut request = Request::get(&["sites", &self.site_id, "assets"]).endpoint("webflow.list_assets");
        if let Some(offset) = self.offset {
            request = request.query("offset", offset.to_string());
        }
        if let Some(limit) = self.limit {
            request = request.query("limit", limit.to_string());
        }
        self.client.http().execute_json(request).await
    }

    /// Every page from `offset` on, one request per page, until a page is empty, the
    /// reported `total` is reached, or a page comes back shorter than the page size. An
    /// error ends the stream after it is yielded.
    pub fn into_stream(self) -> impl Stream<Item = Result<AssetPage>> + Send + 'static {
        pages(self, |this: Self| async move {
            let offset = this.offset.unwrap_or(0);
            let next = this.clone();
            let page = this.send().await?;
            let count = page.assets.len() as u64;
            let page_size = next.limit.map(u64::from).or(page.pagination.limit);
            let more = more_after(offset, count, page.pagination.total, page_size);
            Ok((page, more.then(|| next.offset(offset + count))))
        })
    }
}
