//! Get Assets: `POST /api/p/<project gid>/assets/get`.

use assetkit_core::{Error, Result};
use serde::Serialize;

use super::Answer;
use crate::unicat::models::validate_pathname;
use crate::unicat::{Asset, AssetSelector, UnicatClient};
use crate::{CallOptions, RequestOptions, require_non_blank};

/// Get Assets: `POST /api/p/<project gid>/assets/get`.
///
/// One or more assets by gid or by pathname. The body is exactly one of `{"asset": gid}`, `{"assets": [gid, ...]}`,
/// `{"pathname": "/path"}` or `{"pathnames": [...]}`, from the [`AssetSelector`]. The
/// answer's `result.asset` (or `result.assets`) is joined to the records of `data.assets`.
///
/// Order: Unicat orders its answer by tree structure and name; this builder hands the
/// assets back in the order they were asked for (by gid for `Gids`, by `pathname` for
/// `Pathnames`). Assets of the answer that match nothing asked for come last, in Unicat's
/// order. A single selector gives a list of one.
///
/// See also: [assets/get](https://docs.unicat.app/api/reference/p/assets/get) in the Unicat
/// API reference.
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty gid, an empty list, a pathname not
///   starting with `/`.
/// - `Unprocessable` (422) for an asset that does not exist, `BadRequest` (400),
///   `Unauthorized` (401) when signing in fails, `Forbidden` (403) for a key that is not
///   a member of the project, `RateLimited` (429), `Server` (5xx); `Decode` for an answer
///   that names no asset.
///
/// # Examples
///
/// ```no_run
/// # async fn demo(client: assetkit::unicat::UnicatClient) -> assetkit::Result<()> {
/// use assetkit::unicat::AssetSelector;
///
/// let assets = client
///     .assets()
///     .get(AssetSelector::pathnames(["/products/image.jpg", "/files/doc.pdf"]))
///     .send()
///     .await?;
/// for asset in &assets {
///     println!("{} {:?} {:?}", asset.gid, asset.pathname, asset.file_size());
/// }
/// let one = client.assets().get(AssetSelector::gid("96ec02b2-fb8d-4fb4-b952-fad0c4b88a74")).send_one().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct GetAssets {
    client: UnicatClient,
    selector: AssetSelector,
    options: CallOptions,
}

impl RequestOptions for GetAssets {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

/// The JSON body of `assets/get`: exactly one of the four fields, from the selector.
#[derive(Serialize, Default)]
struct GetAssetsBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    asset: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    assets: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pathname: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pathnames: Option<&'a [String]>,
}

impl<'a> GetAssetsBody<'a> {
    /// The body of `selector`, after refusing what Unicat would misread.
    fn new(selector: &'a AssetSelector) -> Result<Self> {
        Ok(match selector {
            AssetSelector::Gid(gid) => {
                require_non_blank("the asset gid", gid)?;
                Self {
                    asset: Some(gid),
                    ..Self::default()
                }
            }
            AssetSelector::Gids(gids) => {
                non_empty(gids, "gids")?;
                gids.iter()
                    .try_for_each(|g| require_non_blank("the asset gid", g))?;
                Self {
                    assets: Some(gids),
                    ..Self::default()
                }
            }
            AssetSelector::Pathname(pathname) => {
                validate_pathname(pathname)?;
                Self {
                    pathname: Some(pathname),
                    ..Self::default()
                }
            }
            AssetSelector::Pathnames(pathnames) => {
                non_empty(pathnames, "pathnames")?;
                pathnames.iter().try_for_each(|p| validate_pathname(p))?;
                Self {
                    pathnames: Some(pathnames),
                    ..Self::default()
                }
            }
        })
    }
}

impl GetAssets {
    pub(crate) fn new(client: UnicatClient, selector: AssetSelector) -> Self {
        Self {
            client,
            selector,
            options: CallOptions::default(),
        }
    }

    /// Sends the request; the assets come back in the order asked for.
    pub async fn send(self) -> Result<Vec<Asset>> {
        let body = GetAssetsBody::new(&self.selector)?;
        let request = self
            .client
            .post_json(&["assets", "get"], &body, "unicat.assets_get")?
            // A read: safe to send again after a 5xx.
            .idempotent(true);
        let answer = self.client.call(self.options.apply(request)).await?;
        let found = answered(&answer)?;
        Ok(in_asked_order(&self.selector, found))
    }

    /// Sends the request and returns the first asset; meant for the single selectors.
    /// An answer that names no asset is a `Decode` error.
    pub async fn send_one(self) -> Result<Asset> {
        self.send()
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| Error::decode("Unicat assets/get answer", "no asset in result.asset", b""))
    }
}

fn non_empty(items: &[String], what: &str) -> Result<()> {
    if items.is_empty() {
        return Err(Error::invalid(format!("assets/get with an empty list of {what}")));
    }
    Ok(())
}

/// The assets the answer names, in Unicat's order.
fn answered(answer: &Answer) -> Result<Vec<Asset>> {
    if let Some(gid) = answer.gid("asset") {
        return Ok(vec![answer.asset(gid)]);
    }
    answer
        .gids("assets")
        .map(|gids| gids.into_iter().map(|gid| answer.asset(gid)).collect())
        .ok_or_else(|| answer.missing("Unicat assets/get answer", "no result.asset or result.assets"))
}

/// Reorders `found` to follow the selector; whatever matches nothing asked goes last.
fn in_asked_order(selector: &AssetSelector, found: Vec<Asset>) -> Vec<Asset> {
    let (asked, by_path): (&[String], bool) = match selector {
        AssetSelector::Gids(gids) => (gids, false),
        AssetSelector::Pathnames(pathnames) => (pathnames, true),
        AssetSelector::Gid(_) | AssetSelector::Pathname(_) => return found,
    };
    let mut left: Vec<Option<Asset>> = found.into_iter().map(Some).collect();
    let mut ordered = Vec::with_capacity(left.len());
    for key in asked {
        let slot = left.iter_mut().find(|slot| {
            slot.as_ref().is_some_and(|asset| {
                if by_path {
                    asset.pathname.as_deref() == Some(key.as_str())
                } else {
                    asset.gid == *key
                }
            })
        });
        if let Some(asset) = slot.and_then(Option::take) {
            ordered.push(asset);
        }
    }
    ordered.extend(left.into_iter().flatten());
    ordered
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn asset(gid: &str, pathname: &str) -> Asset {
        Asset {
            gid: gid.into(),
            pathname: Some(pathname.into()),
            ..Asset::default()
        }
    }

    #[test]
    fn the_body_is_one_of_the_documented_requests() {
        let body =
            |selector: AssetSelector| serde_json::to_value(GetAssetsBody::new(&selector).unwrap()).unwrap();
        assert_eq!(body(AssetSelector::gid("g1")), json!({"asset": "g1"}));
        assert_eq!(body(AssetSelector::gids(["g1"])), json!({"assets": ["g1"]}));
        assert_eq!(
            body(AssetSelector::pathname("/products")),
            json!({"pathname": "/products"})
        );
        assert_eq!(
            body(AssetSelector::pathnames([
                "/products/image.jpg",
                "/files/doc.pdf"
            ])),
            json!({"pathnames": ["/products/image.jpg", "/files/doc.pdf"]})
        );
        assert!(GetAssetsBody::new(&AssetSelector::gids(Vec::<String>::new())).is_err());
        assert!(GetAssetsBody::new(&AssetSelector::pathname("products")).is_err());
    }

    #[test]
    fn keeps_the_order_asked_for() {
        let found = vec![asset("a", "/a"), asset("b", "/b"), asset("c", "/c")];
        let by_gid = in_asked_order(&AssetSelector::gids(["c", "a", "b"]), found.clone());
        let gids: Vec<_> = by_gid.iter().map(|a| a.gid.as_str()).collect();
        assert_eq!(gids, ["c", "a", "b"]);
        let by_path = in_asked_order(&AssetSelector::pathnames(["/b", "/x"]), found);
        let gids: Vec<_> = by_path.iter().map(|a| a.gid.as_str()).collect();
        assert_eq!(gids, ["b", "a", "c"]);
    }
}
