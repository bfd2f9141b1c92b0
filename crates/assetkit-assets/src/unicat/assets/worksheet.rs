//! Worksheet: `POST /api/p/<project gid>/assets/worksheet`.

use assetkit_core::Result;
use serde::Serialize;

use crate::unicat::{Asset, UnicatClient};
use crate::{CallOptions, RequestOptions, require_non_blank};

/// Worksheet: `POST /api/p/<project gid>/assets/worksheet`.
///
/// What a folder view needs in one call: the asset, the folders from the root down to it
/// (`path`), and one page of its children (`page.top`, default 0; `page.size`, default
/// 20) with their total (`children.size`).
///
/// See also: [assets/worksheet](https://docs.unicat.app/api/reference/p/assets/worksheet)
/// in the Unicat API reference.
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty gid, or a page size of 0.
/// - `Unprocessable` (422) when the asset does not exist
///   ([`Error::is_not_found`](assetkit_core::Error::is_not_found)), `BadRequest` (400),
///   `Unauthorized` (401), `Forbidden` (403) outside the project.
/// - `Decode` when the answer names no asset.
///
/// # Examples
///
/// ```no_run
/// # async fn run(client: assetkit::unicat::UnicatClient) -> assetkit::Result<()> {
/// let sheet = client.assets().worksheet("f2e64fe0-9ffa-4d9a-8750-d561d6542453").page(0, 10).send().await?;
/// println!("{} of {:?} children", sheet.children.len(), sheet.children_size);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct GetWorksheet {
    client: UnicatClient,
    gid: String,
    top: Option<u64>,
    size: Option<u64>,
    options: CallOptions,
}

impl RequestOptions for GetWorksheet {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

/// The answer of [`GetWorksheet`].
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct Worksheet {
    /// The asset asked for.
    pub asset: Asset,
    /// The folders from the root down to the asset, itself last.
    pub path: Vec<Asset>,
    /// This page of its children.
    pub children: Vec<Asset>,
    /// How many children it has in all (`children.size`).
    pub children_size: Option<u64>,
}

#[derive(Serialize)]
struct WorksheetBody<'a> {
    asset: &'a str,
    #[serde(rename = "page.top", skip_serializing_if = "Option::is_none")]
    top: Option<u64>,
    #[serde(rename = "page.size", skip_serializing_if = "Option::is_none")]
    size: Option<u64>,
}

impl GetWorksheet {
    pub(crate) fn new(client: UnicatClient, gid: String) -> Self {
        Self {
            client,
            gid,
            top: None,
            size: None,
            options: CallOptions::default(),
        }
    }

    /// The page of children: from index `top`, at most `size` of them.
    pub fn page(mut self, top: u64, size: u64) -> Self {
        self.top = Some(top);
        self.size = Some(size);
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<Worksheet> {
        require_non_blank("the asset gid", &self.gid)?;
        if self.size == Some(0) {
            return Err(assetkit_core::Error::invalid(
                "a worksheet page size of 0 lists nothing",
            ));
        }
        let body = WorksheetBody {
            asset: &self.gid,
            top: self.top,
            size: self.size,
        };
        let request = self
            .client
            .post_json(&["assets", "worksheet"], &body, "unicat.assets_worksheet")?;
        let answer = self.client.call(self.options.apply(request)).await?;
        let assets = |key: &str| -> Vec<Asset> {
            answer
                .gids(key)
                .unwrap_or_default()
                .into_iter()
                .map(|gid| answer.asset(gid))
                .collect()
        };
        Ok(Worksheet {
            asset: answer.required_asset("asset", "Unicat assets/worksheet answer")?,
            path: assets("path"),
            children: assets("children"),
            children_size: answer.number("children.size"),
        })
    }
}
