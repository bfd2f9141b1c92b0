//! Bulk Delete and Bulk Undelete: `POST /api/p/<project gid>/assets/bulk/delete` and
//! `.../bulk/undelete`.

use assetkit_core::{Error, Result};
use serde::Serialize;
use serde_json::{Value, json};

use crate::unicat::UnicatClient;
use crate::{CallOptions, RequestOptions};

/// Which assets a bulk call acts on: gids, the children of a folder, the hits of a
/// search, each of the last two less the gids it excludes. The body's `selection` list.
#[derive(Debug, Clone, Default, PartialEq)]
#[must_use]
pub struct Selection {
    items: Vec<Value>,
}

impl Selection {
    /// An empty selection; add to it with the methods below.
    pub fn new() -> Self {
        Self::default()
    }

    /// These assets.
    pub fn gids(mut self, gids: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.items
            .extend(gids.into_iter().map(|g| Value::String(g.into())));
        self
    }

    /// The children of folder `folder`, but those in `exclude`.
    pub fn children_of(
        mut self,
        folder: impl Into<String>,
        exclude: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        let exclude: Vec<String> = exclude.into_iter().map(Into::into).collect();
        self.items
            .push(json!({"children": folder.into(), "exclude": exclude}));
        self
    }

    /// The assets a search finds (`{"language", "q", "filter"}` as Unicat's search takes
    /// it), but those in `exclude`.
    pub fn search(mut self, search: Value, exclude: impl IntoIterator<Item = impl Into<String>>) -> Self {
        let exclude: Vec<Value> = exclude.into_iter().map(|g| Value::String(g.into())).collect();
        let item = serde_json::Map::from_iter([
            ("search".to_owned(), search),
            ("exclude".to_owned(), Value::Array(exclude)),
        ]);
        self.items.push(Value::Object(item));
        self
    }

    fn check(&self) -> Result<()> {
        let blank = |v: &Value| v.as_str().is_some_and(|s| s.trim().is_empty());
        if self.items.is_empty() {
            return Err(Error::invalid("the bulk selection is empty"));
        }
        if self.items.iter().any(blank) || self.items.iter().any(|i| i.get("children").is_some_and(blank)) {
            return Err(Error::invalid("the bulk selection names an empty gid"));
        }
        Ok(())
    }
}

/// The token of a background job, to look for in Unicat's sync events (`data_key` of a
/// `jobs` event).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct JobToken(pub String);

/// Bulk Delete (`POST /api/p/<project gid>/assets/bulk/delete`) or Bulk Undelete
/// (`.../bulk/undelete`): the assets of a [`Selection`] and their subtrees, as a
/// background job.
///
/// Sends `{"selection": [...]}` and answers the job's token (`result["job.token"]`); the
/// work itself happens later, and its progress arrives in the project's sync events.
/// Undelete has the same request and answer as delete (the reference says so).
///
/// See also: [assets/bulk/delete](https://docs.unicat.app/api/reference/p/assets/bulk/delete)
/// in the Unicat API reference.
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty selection, or a blank gid in it.
/// - `BadRequest` (400), `Unauthorized` (401), `Forbidden` (403) outside the project,
///   `Unprocessable` (422).
/// - `Decode` when the answer has no `job.token`.
///
/// # Examples
///
/// ```no_run
/// # async fn run(client: assetkit::unicat::UnicatClient) -> assetkit::Result<()> {
/// use assetkit::unicat::Selection;
///
/// let job = client
///     .assets()
///     .bulk_delete(Selection::new().gids(["<gid-1>", "<gid-2>"]).children_of("<gid-9>", ["<gid-x>"]))
///     .send()
///     .await?;
/// println!("job {}", job.0);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct BulkChange {
    client: UnicatClient,
    selection: Selection,
    undelete: bool,
    options: CallOptions,
}

impl RequestOptions for BulkChange {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

#[derive(Serialize)]
struct BulkBody<'a> {
    selection: &'a [Value],
}

impl BulkChange {
    pub(crate) fn new(client: UnicatClient, selection: Selection, undelete: bool) -> Self {
        Self {
            client,
            selection,
            undelete,
            options: CallOptions::default(),
        }
    }

    /// Sends the request; answers the background job's token.
    pub async fn send(self) -> Result<JobToken> {
        self.selection.check()?;
        let (verb, name) = if self.undelete {
            ("undelete", "unicat.assets_bulk_undelete")
        } else {
            ("delete", "unicat.assets_bulk_delete")
        };
        let body = BulkBody {
            selection: &self.selection.items,
        };
        let request = self.client.post_json(&["assets", "bulk", verb], &body, name)?;
        let answer = self.client.call(self.options.apply(request)).await?;
        answer
            .text("job.token")
            .map(|t| JobToken(t.to_owned()))
            .ok_or_else(|| answer.missing("Unicat assets/bulk answer", "no result[\"job.token\"]"))
    }
}
