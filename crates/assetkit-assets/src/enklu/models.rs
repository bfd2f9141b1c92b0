//! The public data types of the Enklu client: the id of an asset and the account that
//! signed in.

use std::fmt;

/// The id Enklu gives an asset (a UUID, as text).
///
/// An upload returns it; pass it to
/// [`AssetsHandler::update`](crate::enklu::AssetsHandler::update) to upload a new version
/// of the same asset.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AssetId(String);

impl AssetId {
    /// Wraps an id as Enklu spells it.
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id as an owned string.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for AssetId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for AssetId {
    fn from(id: String) -> Self {
        Self(id)
    }
}

impl From<&str> for AssetId {
    fn from(id: &str) -> Self {
        Self(id.to_owned())
    }
}

impl From<&AssetId> for AssetId {
    fn from(id: &AssetId) -> Self {
        id.clone()
    }
}

impl AsRef<str> for AssetId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// The account that signed in, as the sign-in answer describes it (`body.user`).
/// Every field is optional: Enklu's answer is decoded leniently.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct EnkluUser {
    /// The user's id (a UUID).
    pub id: Option<String>,
    /// The e-mail address the account signs in with.
    pub email: Option<String>,
    /// The name shown in Enklu's editor.
    pub display_name: Option<String>,
}
