//! List Asset Versions: `GET /v1/assets/{assetId}/versions?maxPageSize=&pageToken=`.

use assetkit_core::{Error, Request, Result};
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};

use crate::paging::pages;
use crate::roblox::{AssetId, AssetVersion, AssetVersionPage, RobloxClient};
use crate::{CallOptions, RequestOptions, require_non_blank};

/// The page sizes the API accepts.
const PAGE_SIZES: std::ops::RangeInclusive<u32> = 1..=50;

/// List Asset Versions: `GET /v1/assets/{assetId}/versions?maxPageSize=&pageToken=`.
///
/// An asset's versions, newest first, a page at a time: [`send`](Self::send) fetches one
/// page; [`into_pages`](Self::into_pages) streams the pages, following `nextPageToken`
/// until a page comes without one; [`into_stream`](Self::into_stream) yields the versions
/// one by one across pages. The API pages 8 versions at a time unless
/// [`page_size`](Self::page_size) (1 to 50, sent as `maxPageSize`) says otherwise. The
/// per-call options apply to every page's request.
///
/// See also: [List Asset Versions](https://create.roblox.com/docs/cloud/reference/features/assets)
/// in the Open Cloud reference.
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty asset id, a page size outside 1 to 50.
/// - `NotFound` (404) for an unknown asset, `Forbidden` (403) without Read permission,
///   `Unauthorized` (401), `RateLimited` (429), `Server` (5xx); `Decode` when the API
///   answers a page token with itself as the next one. A stream yields the error and
///   ends.
///
/// # Examples
///
/// ```no_run
/// # async fn run(client: assetkit::roblox::RobloxClient) -> assetkit::Result<()> {
/// use futures::TryStreamExt;
///
/// let first_page = client.assets().versions(2_205_400_862_u64).page_size(10).send().await?;
/// let all: Vec<_> = client.assets().versions(2_205_400_862_u64).into_stream().try_collect().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited or the stream is polled"]
pub struct ListAssetVersions {
    client: RobloxClient,
    asset_id: AssetId,
    page_size: Option<u32>,
    page_token: Option<String>,
    options: CallOptions,
}

impl RequestOptions for ListAssetVersions {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

impl ListAssetVersions {
    pub(crate) fn new(client: RobloxClient, asset_id: AssetId) -> Self {
        Self {
            client,
            asset_id,
            page_size: None,
            page_token: None,
            options: CallOptions::default(),
        }
    }

    /// Sets how many versions a page holds, 1 to 50 (sent as `maxPageSize`).
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = Some(size);
        self
    }

    /// The former name of [`page_size`](Self::page_size).
    #[deprecated(note = "use `page_size`, the one name every listing uses")]
    pub fn max_page_size(self, size: u32) -> Self {
        self.page_size(size)
    }

    /// Starts from the page a previous answer's `next_page_token` names (`pageToken`).
    pub fn page_token(mut self, token: impl Into<String>) -> Self {
        self.page_token = Some(token.into());
        self
    }

    /// Fetches one page.
    pub async fn send(self) -> Result<AssetVersionPage> {
        require_non_blank("the asset id", self.asset_id.as_str())?;
        let mut request = Request::get(&["v1", "assets", self.asset_id.as_str(), "versions"])
            .endpoint("roblox.list_asset_versions");
        if let Some(size) = self.page_size {
            if !PAGE_SIZES.contains(&size) {
                return Err(Error::invalid(format!(
                    "the page size (maxPageSize) must be between 1 and 50, not {size}"
                )));
            }
            request = request.query("maxPageSize", size.to_string());
        }
        if let Some(token) = &self.page_token {
            request = request.query("pageToken", token);
        }
        self.client.http().execute_json(self.options.apply(request)).await
    }

    /// Every page, one request each, until a page comes without a next token. An error
    /// ends the stream after it is yielded.
    pub fn into_pages(self) -> BoxStream<'static, Result<AssetVersionPage>> {
        pages(self, |list: Self| async move {
            let page = list.clone().send().await?;
            let next = match page.next_page_token.as_deref().filter(|t| !t.is_empty()) {
                None => None,
                // A server handing back the token it was given would page forever.
                Some(token) if list.page_token.as_deref() == Some(token) => {
                    return Err(Error::decode(
                        "AssetVersionPage",
                        format!("the API answered page token {token:?} with itself as the next one"),
                        b"",
                    ));
                }
                Some(token) => Some(list.page_token(token)),
            };
            Ok((page, next))
        })
    }

    /// Every version, page after page (see [`into_pages`](Self::into_pages)). An error
    /// ends the stream after it is yielded.
    pub fn into_stream(self) -> BoxStream<'static, Result<AssetVersion>> {
        self.into_pages()
            .map_ok(|page| stream::iter(page.versions.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }
}
