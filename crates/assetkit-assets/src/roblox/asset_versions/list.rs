//! List Asset Versions: `GET /v1/assets/{assetId}/versions?maxPageSize=&pageToken=`.

use assetkit_core::{Error, Request, Result};
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};

use crate::paging::pages;
use crate::require_non_blank;
use crate::roblox::{AssetId, AssetVersion, AssetVersionPage, RobloxClient};

/// The page sizes the API accepts.
const PAGE_SIZES: std::ops::RangeInclusive<u32> = 1..=50;

/// List Asset Versions: `GET /v1/assets/{assetId}/versions?maxPageSize=&pageToken=`.
///
/// An asset's versions, newest first, a page at a time: [`send`](Self::send) fetches one
/// page; [`into_stream`](Self::into_stream) yields every version across pages. The API
/// pages 8 versions at a time unless [`max_page_size`](Self::max_page_size) (1 to 50) says
/// otherwise; a size outside that range fails with `InvalidRequest` before sending.
///
/// ```no_run
/// # async fn run(client: assetkit_assets::roblox::RobloxClient) -> assetkit_core::Result<()> {
/// use futures::TryStreamExt;
///
/// let first_page = client.assets().versions(2_205_400_862_u64).max_page_size(10).send().await?;
/// let all: Vec<_> = client.assets().versions(2_205_400_862_u64).into_stream().try_collect().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited or the stream is polled"]
pub struct ListAssetVersions {
    client: RobloxClient,
    asset_id: AssetId,
    max_page_size: Option<u32>,
    page_token: Option<String>,
}

impl ListAssetVersions {
    pub(crate) fn new(client: RobloxClient, asset_id: AssetId) -> Self {
        Self {
            client,
            asset_id,
            max_page_size: None,
            page_token: None,
        }
    }

    /// Sets how many versions a page holds, 1 to 50 (`maxPageSize`).
    pub fn max_page_size(mut self, size: u32) -> Self {
        self.max_page_size = Some(size);
        self
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
        if let Some(size) = self.max_page_size {
            if !PAGE_SIZES.contains(&size) {
                return Err(Error::invalid(format!(
                    "maxPageSize must be between 1 and 50, not {size}"
                )));
            }
            request = request.query("maxPageSize", size.to_string());
        }
        if let Some(token) = &self.page_token {
            request = request.query("pageToken", token);
        }
        self.client.http().execute_json(request).await
    }

    /// Every version, page after page, until a page comes without a next token. An error
    /// ends the stream after it is yielded.
    pub fn into_stream(self) -> BoxStream<'static, Result<AssetVersion>> {
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
            Ok((page.versions, next))
        })
        .map_ok(|versions| stream::iter(versions.into_iter().map(Ok)))
        .try_flatten()
        .boxed()
    }
}
