//! Get Asset: `GET /v1/assets/{assetId}?readMask=...`.

use assetkit_core::{Request, Result};

use crate::roblox::{Asset, AssetId, RobloxClient};
use crate::{CallOptions, RequestOptions, require_non_blank};

/// Get Asset: `GET /v1/assets/{assetId}?readMask=...`.
///
/// An asset's metadata. Without a read mask the API returns its default fields; with one,
/// it adds those listed (`description`, `displayName`, `icon`, `previews`, social links...),
/// sent comma-separated.
///
/// See also: [Get Asset](https://create.roblox.com/docs/cloud/reference/features/assets) in
/// the Open Cloud reference.
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty asset id.
/// - `NotFound` (404) for an unknown asset, `Forbidden` (403) without Read permission,
///   `Unauthorized` (401), `RateLimited` (429), `Server` (5xx).
///
/// # Examples
///
/// ```no_run
/// # async fn run(client: assetkit::roblox::RobloxClient) -> assetkit::Result<()> {
/// let asset = client
///     .assets()
///     .get(2_205_400_862_u64)
///     .read_mask(["description", "displayName"])
///     .send()
///     .await?;
/// println!("{:?}", asset.display_name);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct GetAsset {
    client: RobloxClient,
    asset_id: AssetId,
    read_mask: Vec<String>,
    options: CallOptions,
}

impl RequestOptions for GetAsset {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

impl GetAsset {
    pub(crate) fn new(client: RobloxClient, asset_id: AssetId) -> Self {
        Self {
            client,
            asset_id,
            read_mask: Vec::new(),
            options: CallOptions::default(),
        }
    }

    /// Asks for these fields (camelCase, as the API names them); sent as
    /// `readMask=description,displayName`.
    pub fn read_mask<I, S>(mut self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.read_mask.extend(fields.into_iter().map(Into::into));
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<Asset> {
        require_non_blank("the asset id", self.asset_id.as_str())?;
        let mut request =
            Request::get(&["v1", "assets", self.asset_id.as_str()]).endpoint("roblox.get_asset");
        if !self.read_mask.is_empty() {
            request = request.query("readMask", self.read_mask.join(","));
        }
        self.client.http().execute_json(self.options.apply(request)).await
    }
}
