//! Lenient decoding shared by the vendors' models, and the rule that an answer which
//! created something never loses the new id, even when it cannot be decoded.

// Each vendor feature uses a part of it; with all of them on, everything is used.
#![cfg_attr(
    not(all(feature = "mediapocket", feature = "roblox", feature = "webflow")),
    allow(dead_code)
)]

use assetkit_core::{Created, Result};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Reads `null` as the type's default (vendors send `null` for empty lists at times).
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// The decoding of the answer of a request that created something. When it fails but the
/// answer still names the new id (at the first of `id_pointers`, JSON pointers, that holds
/// a non-empty string), the failure becomes [`Error::PartialFailure`] carrying
/// `created(id)`: the resource exists, and its id must reach the caller.
pub(crate) fn keep_created_id<T>(
    decoded: Result<T>,
    body: &[u8],
    id_pointers: &[&str],
    created: impl FnOnce(String) -> Created,
) -> Result<T> {
    decoded.map_err(|error| {
        let id = serde_json::from_slice::<Value>(body).ok().and_then(|answer| {
            id_pointers
                .iter()
                .find_map(|pointer| answer.pointer(pointer)?.as_str().filter(|id| !id.is_empty()))
                .map(str::to_owned)
        });
        match id {
            Some(id) => error.after_created(created(id)),
            None => error,
        }
    })
}

#[cfg(test)]
mod tests {
    use assetkit_core::{Error, Vendor};

    use super::*;

    fn created(id: String) -> Created {
        Created::new(Vendor::OTHER, "asset", id)
    }

    #[test]
    fn a_named_id_survives_a_decode_failure() {
        let failed = || Err::<(), _>(Error::decode("x", "bad date", b""));
        let err = keep_created_id(
            failed(),
            br#"{"asset": {"id": "a1"}}"#,
            &["/asset/id", "/id"],
            created,
        )
        .unwrap_err();
        assert_eq!(err.created().map(|c| c.id.as_str()), Some("a1"));
        let err = keep_created_id(failed(), br#"{"id": "b2"}"#, &["/asset/id", "/id"], created).unwrap_err();
        assert_eq!(err.created().map(|c| c.id.as_str()), Some("b2"));
        for body in [&b"not json"[..], br#"{"id": ""}"#, br#"{"id": 5}"#] {
            let err = keep_created_id(failed(), body, &["/id"], created).unwrap_err();
            assert!(matches!(err, Error::Decode { .. }), "{err:?}");
        }
        assert!(keep_created_id(Ok(()), b"", &["/id"], created).is_ok());
    }
}
