//! What is fuzzed: the public parsers of assetkit-core (rate-limit headers, error bodies,
//! the error type) and every public response model of the vendors in assetkit-assets.
//!
//! Enklu and Unicat have no public decoder: their answers are read by crate-private code
//! behind a `Response` that only the transport builds. Their envelopes and error bodies
//! reach `ApiError::from_response` through the corpus.

use std::fmt::Debug;
use std::hint::black_box;

use assetkit_assets::{mediapocket, roblox, webflow};
use assetkit_core::ratelimit::parse_retry_after;
use assetkit_core::{ApiError, Created, Error, RateLimit, Vendor};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::generate::Input;

/// Which parts of an input a target reads, so that a report shows those.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Uses {
    /// The headers and the clock.
    Headers,
    /// The body.
    Body,
    /// The short text.
    Text,
    /// Vendor, status, headers, rate limits and body.
    Answer,
}

/// One fuzz target.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target {
    /// Its name in reports.
    pub(crate) name: &'static str,
    /// What it reads.
    pub(crate) uses: Uses,
    /// Runs it on one input.
    pub(crate) run: fn(&Input),
}

const fn target(name: &'static str, uses: Uses, run: fn(&Input)) -> Target {
    Target { name, uses, run }
}

/// Every target, in the order each input visits them.
pub(crate) const TARGETS: &[Target] = &[
    // assetkit-core
    target("RateLimit::from_headers", Uses::Headers, rate_limit_from_headers),
    target("ratelimit::parse_retry_after", Uses::Headers, retry_after),
    target("ApiError::from_response", Uses::Answer, api_error_from_response),
    target("Error::from_api", Uses::Answer, error_from_api),
    target("Error::decode", Uses::Body, error_decode),
    // Roblox
    target("roblox::Asset", Uses::Body, roblox_asset),
    target("roblox::AssetVersion", Uses::Body, roblox_asset_version),
    target("roblox::AssetVersionPage", Uses::Body, roblox_asset_version_page),
    target(
        "roblox::CreationContext",
        Uses::Body,
        model::<roblox::CreationContext>,
    ),
    target(
        "roblox::ModerationResult",
        Uses::Body,
        model::<roblox::ModerationResult>,
    ),
    target(
        "roblox::ModerationState",
        Uses::Body,
        model::<roblox::ModerationState>,
    ),
    target("roblox::AssetState", Uses::Body, model::<roblox::AssetState>),
    target("roblox::Preview", Uses::Body, round_trip::<roblox::Preview>),
    target("roblox::AssetId", Uses::Body, roblox_asset_id),
    target("roblox::AssetType", Uses::Body, roblox_asset_type),
    target(
        "roblox::AssetType::from_name",
        Uses::Text,
        roblox_asset_type_from_name,
    ),
    // Webflow
    target("webflow::Asset", Uses::Body, round_trip::<webflow::Asset>),
    target(
        "webflow::AssetVariant",
        Uses::Body,
        round_trip::<webflow::AssetVariant>,
    ),
    target(
        "webflow::Pagination",
        Uses::Body,
        round_trip::<webflow::Pagination>,
    ),
    target("webflow::AssetPage", Uses::Body, round_trip::<webflow::AssetPage>),
    target(
        "webflow::CreatedAsset",
        Uses::Body,
        round_trip::<webflow::CreatedAsset>,
    ),
    target("webflow::UploadDetails", Uses::Body, webflow_upload_details),
    target(
        "webflow::AssetFolder",
        Uses::Body,
        round_trip::<webflow::AssetFolder>,
    ),
    target(
        "webflow::AssetFolderList",
        Uses::Body,
        round_trip::<webflow::AssetFolderList>,
    ),
    target(
        "webflow::StoredObject",
        Uses::Body,
        round_trip::<webflow::StoredObject>,
    ),
    target("webflow::UploadedAsset", Uses::Body, webflow_uploaded_asset),
    // Media Pocket
    target("mediapocket::Asset", Uses::Body, mediapocket_asset),
    target("mediapocket::Media", Uses::Body, model::<mediapocket::Media>),
    target("mediapocket::MediaType", Uses::Body, mediapocket_media_type),
    target(
        "mediapocket::MediaType::from",
        Uses::Text,
        mediapocket_media_type_from,
    ),
    // Names read as JSON strings by the enums' own Deserialize.
    target("enum names as JSON strings", Uses::Text, names_as_json),
];

/// Decodes the body as `T` and formats what it got.
fn decode<T: DeserializeOwned + Debug>(input: &Input) -> Option<T> {
    let value = serde_json::from_slice::<T>(&input.body).ok()?;
    black_box(format!("{value:?}"));
    Some(value)
}

fn model<T: DeserializeOwned + Debug>(input: &Input) {
    black_box(decode::<T>(input));
}

/// Decodes, serialises what was decoded, and decodes that again.
fn round_trip<T: DeserializeOwned + Serialize + Debug>(input: &Input) {
    if let Some(value) = decode::<T>(input) {
        reencode(&value);
    }
}

fn reencode<T: DeserializeOwned + Serialize>(value: &T) {
    if let Ok(bytes) = serde_json::to_vec(value) {
        black_box(serde_json::from_slice::<T>(&bytes).ok());
    }
}

// ---------------------------------------------------------------------------------------
// assetkit-core

fn rate_limit_from_headers(input: &Input) {
    let limits = RateLimit::from_headers(&input.headers, input.now);
    black_box((limits.wait_hint(), limits.is_empty(), format!("{limits:?}")));
}

fn retry_after(input: &Input) {
    black_box(parse_retry_after(&input.headers, input.now));
}

fn api_error_from_response(input: &Input) {
    let api = ApiError::from_response(
        input.vendor,
        input.status,
        &input.headers,
        &input.body,
        input.rate_limit,
    );
    black_box((api.to_string(), format!("{api:?}")));
    exercise(Error::from_api(api));
}

/// `Error::from_api` on an `ApiError` whose every field is generated.
fn error_from_api(input: &Input) {
    let mut api = ApiError::with_message(input.vendor.vendor(), input.status, input.text.clone());
    api.code = (!input.text.is_empty()).then(|| input.text.clone());
    api.request_id = input.header_list.first().map(|(name, _)| name.clone());
    api.body = String::from_utf8_lossy(&input.body).into_owned();
    api.rate_limit = input.rate_limit;
    exercise(Error::from_api(api));
}

/// Everything a caller asks of an error, on it and on it wrapped as a partial failure.
fn exercise(error: Error) {
    let ask = |error: &Error| {
        black_box((
            error.to_string(),
            error.status(),
            error.is_retryable(),
            error.retry_after(),
            error.api_error().map(ToString::to_string),
            error.created().cloned(),
        ));
    };
    ask(&error);
    let wrapped = error.after_created(Created::new(Vendor::OTHER, "asset", "fuzz-id"));
    ask(&wrapped);
}

fn error_decode(input: &Input) {
    let error = Error::decode(input.text.clone(), "fuzz", &input.body);
    black_box(error.to_string());
}

// ---------------------------------------------------------------------------------------
// Roblox

fn exercise_asset_type(asset_type: &roblox::AssetType, extension: &str) {
    black_box((
        asset_type.as_str(),
        asset_type.to_string(),
        asset_type.formats(),
        asset_type.content_type_for(Some(extension)),
        asset_type.content_type_for(None),
        asset_type.max_upload_bytes(),
        asset_type.content_updatable(),
    ));
    reencode(asset_type);
}

fn roblox_asset(input: &Input) {
    if let Some(asset) = decode::<roblox::Asset>(input) {
        if let Some(asset_type) = &asset.asset_type {
            exercise_asset_type(asset_type, "fbx");
        }
        black_box(asset.asset_id.as_ref().map(ToString::to_string));
        black_box(asset.id().is_ok());
    }
}

fn roblox_asset_version(input: &Input) {
    if let Some(version) = decode::<roblox::AssetVersion>(input) {
        black_box(version.version_number().ok());
    }
}

fn roblox_asset_version_page(input: &Input) {
    if let Some(page) = decode::<roblox::AssetVersionPage>(input) {
        for version in &page.versions {
            black_box(version.version_number().ok());
        }
    }
}

fn roblox_asset_id(input: &Input) {
    if let Some(id) = decode::<roblox::AssetId>(input) {
        black_box((id.as_str(), id.to_string(), roblox::AssetId::from(&id)));
        reencode(&id);
    }
}

fn roblox_asset_type(input: &Input) {
    if let Some(asset_type) = decode::<roblox::AssetType>(input) {
        exercise_asset_type(&asset_type, &input.text);
    }
}

fn roblox_asset_type_from_name(input: &Input) {
    let asset_type = roblox::AssetType::from_name(&input.text);
    exercise_asset_type(&asset_type, &input.text);
    black_box(roblox::AssetType::from(input.text.as_str()));
}

// ---------------------------------------------------------------------------------------
// Webflow

fn webflow_upload_details(input: &Input) {
    if let Some(mut details) = decode::<webflow::UploadDetails>(input) {
        black_box((
            details.len(),
            details.is_empty(),
            details.get("key"),
            details.get(&input.text),
            details.keys().count(),
            details.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>(),
        ));
        reencode(&details);
        details.set(&input.text, "fuzz");
        details.push("key", input.text.clone());
        black_box(format!("{details:?}"));
    }
}

fn webflow_uploaded_asset(input: &Input) {
    if let Some(uploaded) = decode::<webflow::UploadedAsset>(input) {
        black_box((uploaded.id(), uploaded.hosted_url()));
        reencode(&uploaded);
    }
}

// ---------------------------------------------------------------------------------------
// Media Pocket

fn mediapocket_asset(input: &Input) {
    if let Some(asset) = decode::<mediapocket::Asset>(input) {
        black_box((
            asset.is_processing(),
            asset.is_deleted(),
            asset.media_type.to_string(),
        ));
        reencode(&asset);
    }
}

fn mediapocket_media_type(input: &Input) {
    if let Some(media_type) = decode::<mediapocket::MediaType>(input) {
        black_box((media_type.as_str(), media_type.to_string()));
        reencode(&media_type);
    }
}

fn mediapocket_media_type_from(input: &Input) {
    let media_type = mediapocket::MediaType::from(input.text.as_str());
    black_box((media_type.as_str(), media_type.to_string()));
    reencode(&media_type);
}

// ---------------------------------------------------------------------------------------
// Enum names

fn names_as_json(input: &Input) {
    let Ok(json) = serde_json::to_vec(&input.text) else {
        return;
    };
    black_box(serde_json::from_slice::<roblox::AssetType>(&json).ok());
    black_box(serde_json::from_slice::<roblox::ModerationState>(&json).ok());
    black_box(serde_json::from_slice::<roblox::AssetState>(&json).ok());
    black_box(serde_json::from_slice::<mediapocket::MediaType>(&json).ok());
    black_box(serde_json::from_slice::<roblox::AssetId>(&json).ok());
}
