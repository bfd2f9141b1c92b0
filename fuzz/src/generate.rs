//! The inputs: one seeded generator per input draws a body, a short text, response headers,
//! a wall clock, a vendor, a status and rate-limit figures. Every target gets the whole
//! input and reads the parts it parses.

use std::fmt::Write as _;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use assetkit_assets::enklu::EnkluProfile;
use assetkit_assets::mediapocket::MediaPocketProfile;
use assetkit_assets::roblox::RobloxProfile;
use assetkit_assets::unicat::UnicatProfile;
use assetkit_assets::webflow::{S3Profile, WebflowProfile};
use assetkit_core::header::{HeaderMap, HeaderName, HeaderValue};
use assetkit_core::{Profile, RateLimit, Vendor};
use fastrand::Rng;
use serde_json::Value;

use crate::seeds::Seed;

/// Every vendor's answer-reading profile, cycled through by input index.
pub(crate) static VENDORS: [&(dyn Profile + 'static); 7] = [
    &RobloxProfile,
    &WebflowProfile,
    &EnkluProfile,
    &UnicatProfile,
    &MediaPocketProfile,
    &S3Profile,
    &Vendor::OTHER,
];

/// A fixed stand-in for "now" (2023-11-14T22:13:20Z): the real clock would make runs
/// depend on the day they ran.
const NOW_SECS: u64 = 1_700_000_000;

/// A far future: 10^11 s after the epoch (year 5138).
const FAR_FUTURE_SECS: u64 = 100_000_000_000;

/// One input, fed to every target.
#[derive(Debug, Clone)]
pub(crate) struct Input {
    /// A response body.
    pub(crate) body: Vec<u8>,
    /// A short text: a name, an extension, a message.
    pub(crate) text: String,
    /// The headers as generated: name (in its generated case) and value bytes.
    pub(crate) header_list: Vec<(String, Vec<u8>)>,
    /// The same headers as a map (values `HeaderValue` refuses are left out).
    pub(crate) headers: HeaderMap,
    /// The wall clock handed to the rate-limit parsers.
    pub(crate) now: SystemTime,
    /// The vendor that "answered".
    pub(crate) vendor: &'static dyn Profile,
    /// The HTTP status of the answer.
    pub(crate) status: u16,
    /// Rate-limit figures for `ApiError`, generated directly (never parsed, so that a
    /// panic of the header parser stays in its own target).
    pub(crate) rate_limit: RateLimit,
}

/// The input number `index` of the run seeded with `seed`: the same pair always gives
/// the same input.
pub(crate) fn input(seed: u64, index: u64, seeds: &[Seed]) -> Input {
    let mut rng = Rng::with_seed(splitmix(seed ^ splitmix(index)));
    let body = body(&mut rng, seeds);
    let text = match rng.u8(0..4) {
        0 | 1 => name(&mut rng),
        2 => random_text(&mut rng),
        _ => String::from_utf8_lossy(&body[..body.len().min(256)]).into_owned(),
    };
    let header_list = headers(&mut rng);
    Input {
        body,
        text,
        headers: header_map(&header_list),
        header_list,
        now: now(&mut rng),
        vendor: VENDORS[usize::try_from(index % 7).unwrap_or(0)],
        status: status(&mut rng),
        rate_limit: rate_limit(&mut rng),
    }
}

/// The headers as a map, leaving out what `HeaderName` or `HeaderValue` refuses.
pub(crate) fn header_map(list: &[(String, Vec<u8>)]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for (name, value) in list {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_bytes(value),
        ) {
            headers.append(name, value);
        }
    }
    headers
}

fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn pick<'a, T: ?Sized>(rng: &mut Rng, items: &'a [&'a T]) -> &'a T {
    items[rng.usize(..items.len())]
}

// ---------------------------------------------------------------------------------------
// Bodies

/// Numbers put in place of a node of a seed, as raw JSON text (not all of it valid).
const NUMBERS: &[&str] = &[
    "18446744073709551615",
    "18446744073709551616",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "99999999999999999999999",
    "4294967295",
    "4294967296",
    "1e19",
    "1.8446744073709552e19",
    "1e308",
    "1e309",
    "-1e308",
    "5e-324",
    "1E400",
    "-1",
    "-0",
    "-0.0",
    "0",
    "0.5",
    "NaN",
    "Infinity",
    "-Infinity",
];

/// Dates put in place of a node: the ends of RFC 3339 and of `time`'s range, leap
/// seconds, impossible days and offsets.
const DATES: &[&str] = &[
    "\"9999-12-31T23:59:59Z\"",
    "\"9999-12-31T23:59:59.999999999Z\"",
    "\"9999-12-31T23:59:59-23:59\"",
    "\"0000-01-01T00:00:00+23:59\"",
    "\"-262144-01-01T00:00:00Z\"",
    "\"+262143-12-31T23:59:59.999999999Z\"",
    "\"2016-12-31T23:59:60Z\"",
    "\"2016-12-31T23:59:60.999999999Z\"",
    "\"2016-12-31T23:59:60+01:00\"",
    "\"1970-01-01T00:00:00Z\"",
    "\"1969-12-31T23:59:59.999Z\"",
    "\"2023-02-29T00:00:00Z\"",
    "\"2023-11-27T09:43:34.1234567890123456789Z\"",
    "\"2023-11-27T09:43:34+99:99\"",
    "\"2023-11-27 09:43:34Z\"",
    "\"2023-11-27t09:43:34z\"",
];

/// Other values put in place of a node: wrong types, empty values, numbers in strings,
/// escapes and lone surrogates, prefixes the enums strip.
const OTHERS: &[&str] = &[
    "\"NaN\"",
    "\"Infinity\"",
    "\"-inf\"",
    "\"18446744073709551615\"",
    "\"18446744073709551616\"",
    "\"1e19\"",
    "\"-1\"",
    "\"-0\"",
    "\" 42 \"",
    "\"0x10\"",
    "\"\"",
    "\" \"",
    "null",
    "true",
    "false",
    "[]",
    "{}",
    "[null]",
    "{\"\":null}",
    "[[]]",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"\\udbff\\udfff\"",
    "\"\\u00e9\"",
    "\"é\"",
    "\"ASSET_TYPE_\"",
    "\"MODERATION_STATE_\"",
    "\"STATE_\"",
    "\"operations/\"",
    "\"/\"",
    "\"assets/1/versions/18446744073709551616\"",
    "\"assets/1/versions/\"",
    "\"<Error><Code>\"",
];

/// Field names the models and error bodies read, for injection into seeds.
const KEYS: &[&str] = &[
    // Roblox
    "assetType",
    "assetId",
    "creationContext",
    "creator",
    "userId",
    "groupId",
    "expectedPrice",
    "displayName",
    "description",
    "path",
    "revisionId",
    "revisionCreateTime",
    "moderationResult",
    "moderationState",
    "icon",
    "previews",
    "asset",
    "altText",
    "state",
    "assetVersions",
    "nextPageToken",
    "published",
    "operationId",
    "done",
    "response",
    "metadata",
    // Webflow
    "id",
    "contentType",
    "size",
    "siteId",
    "hostedUrl",
    "originalFileName",
    "lastUpdated",
    "createdOn",
    "variants",
    "folderId",
    "width",
    "height",
    "quality",
    "format",
    "limit",
    "offset",
    "total",
    "assets",
    "pagination",
    "uploadDetails",
    "parentFolder",
    "uploadUrl",
    "assetUrl",
    "assetFolders",
    "status",
    "location",
    "bucket",
    "key",
    "etag",
    "file_hash",
    "stored",
    "success_action_status",
    // Media Pocket
    "external_id",
    "parent_id",
    "project_id",
    "owner",
    "title",
    "category",
    "tags",
    "ai_tags",
    "media_type",
    "original_filename",
    "drop_folder_id",
    "md5_sum",
    "created_date",
    "modification_date",
    "deleted",
    "type",
    "filename",
    "url",
    "file_url",
    "file_size",
    "media",
    // Error bodies and envelopes
    "code",
    "message",
    "details",
    "error",
    "errors",
    "result",
    "info",
    "externalReference",
    "requestId",
    "errorDetails",
    "error_description",
    "success",
    "body",
    "token",
    "user",
];

/// Bytes worth inserting: JSON punctuation, NUL, UTF-8 lead and continuation bytes.
const BYTES: &[u8] = b"\0\xff\xc3\xe2\x80\xf0\"\\{}[],:-+.eE09 \t\n";

/// Byte strings worth inserting.
const TOKENS: &[&str] = &[
    "null", "1e19", "-", "\"", "\\u", "\\ud800", "{", "}", "[", "]", ",", ":", "\"\":", "-0", "é",
];

fn body(rng: &mut Rng, seeds: &[Seed]) -> Vec<u8> {
    let seed = &seeds[rng.usize(..seeds.len())];
    let mut body = match (rng.u8(0..100), &seed.tree) {
        (0..8, _) => random_bytes(rng),
        (8..14, Some(tree)) => serde_json::to_vec_pretty(tree).unwrap_or_default(),
        (14..24, Some(tree)) => subtree(rng, tree),
        (24..54, Some(tree)) => replace_nodes(rng, tree),
        (54..64, Some(tree)) => inject_keys(rng, tree),
        (64..69, _) => nested(rng),
        (69..75, _) => error_body(rng),
        (75..87, _) => {
            let mut bytes = seed.bytes.clone();
            let cut = rng.usize(..=bytes.len());
            bytes.truncate(cut);
            bytes
        }
        (87..100, _) => {
            let mut bytes = seed.bytes.clone();
            mutate_bytes(rng, &mut bytes);
            bytes
        }
        _ => seed.bytes.clone(),
    };
    // Damage stacked on a structural mutation.
    match rng.u8(0..12) {
        0 => {
            let cut = rng.usize(..=body.len());
            body.truncate(cut);
        }
        1 => mutate_bytes(rng, &mut body),
        _ => {}
    }
    body
}

fn random_bytes(rng: &mut Rng) -> Vec<u8> {
    let len = match rng.u8(0..10) {
        0..3 => rng.usize(..16),
        3..9 => rng.usize(..256),
        _ => rng.usize(..4096),
    };
    if rng.bool() {
        (0..len).map(|_| rng.u8(..)).collect()
    } else {
        const JSONISH: &[u8] = b"{}[]\":,0123456789.-+eEtrufalsn \\/\x00\xc3\xa9abcxyz";
        (0..len).map(|_| JSONISH[rng.usize(..JSONISH.len())]).collect()
    }
}

fn mutate_bytes(rng: &mut Rng, bytes: &mut Vec<u8>) {
    for _ in 0..rng.usize(1..=8) {
        let len = bytes.len();
        match rng.u8(0..6) {
            0 if len > 0 => bytes[rng.usize(..len)] ^= 1 << rng.u8(..8),
            1 if len > 0 => bytes[rng.usize(..len)] = rng.u8(..),
            2 if len > 0 => {
                let start = rng.usize(..len);
                let end = (start + rng.usize(1..=16)).min(len);
                bytes.drain(start..end);
            }
            3 if len > 0 => {
                let start = rng.usize(..len);
                let end = (start + rng.usize(1..=64)).min(len);
                let copy = bytes[start..end].to_vec();
                let at = rng.usize(..=len);
                bytes.splice(at..at, copy);
            }
            4 => {
                let token = pick(rng, TOKENS).as_bytes();
                let at = rng.usize(..=len);
                bytes.splice(at..at, token.iter().copied());
            }
            _ => bytes.insert(rng.usize(..=len), BYTES[rng.usize(..BYTES.len())]),
        }
    }
}

fn count_nodes(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(count_nodes).sum(),
        Value::Object(map) => map.values().map(count_nodes).sum(),
        _ => 0,
    }
}

/// The node number `n` of `value` in preorder.
fn nth_node<'a>(value: &'a mut Value, n: &mut usize) -> Option<&'a mut Value> {
    if *n == 0 {
        return Some(value);
    }
    *n -= 1;
    match value {
        Value::Array(items) => items.iter_mut().find_map(|item| nth_node(item, n)),
        Value::Object(map) => map.values_mut().find_map(|item| nth_node(item, n)),
        _ => None,
    }
}

fn random_node<'a>(rng: &mut Rng, tree: &'a mut Value) -> &'a mut Value {
    let mut n = rng.usize(..count_nodes(tree));
    nth_node(tree, &mut n).expect("a preorder number below the node count names a node")
}

/// A random subtree of a seed on its own (a `creationContext`, an `uploadDetails`...),
/// so that each nested model sees its own shape.
fn subtree(rng: &mut Rng, tree: &Value) -> Vec<u8> {
    let mut tree = tree.clone();
    let node = random_node(rng, &mut tree);
    serde_json::to_vec(node).unwrap_or_default()
}

/// A placeholder string that stands for the raw text `raws[k]` until rendering.
fn placeholder(k: usize) -> Value {
    Value::String(format!("\u{1}fuzz{k}\u{1}"))
}

/// Serialises `tree` and replaces each placeholder with its raw text (which need not be
/// valid JSON).
fn render(rng: &mut Rng, tree: &Value, raws: &[String]) -> Vec<u8> {
    let mut text = if rng.u8(0..4) == 0 {
        serde_json::to_string_pretty(tree)
    } else {
        serde_json::to_string(tree)
    }
    .unwrap_or_default();
    for (k, raw) in raws.iter().enumerate() {
        let quoted = serde_json::to_string(&placeholder(k)).unwrap_or_default();
        text = text.replacen(&quoted, raw, 1);
    }
    text.into_bytes()
}

fn replace_nodes(rng: &mut Rng, tree: &Value) -> Vec<u8> {
    let mut tree = tree.clone();
    let mut raws = Vec::new();
    for k in 0..rng.usize(1..=3) {
        let node = random_node(rng, &mut tree);
        raws.push(extreme_for(rng, node));
        *node = placeholder(k);
    }
    render(rng, &tree, &raws)
}

/// An extreme value for `node`: mostly a date in place of a date and a number in place
/// of a number, so that the fields behind them see their edge cases often.
fn extreme_for(rng: &mut Rng, node: &Value) -> String {
    let date_like = node.as_str().is_some_and(|s| {
        s.len() >= 10 && s.as_bytes()[..4].iter().all(u8::is_ascii_digit) && s.contains('T')
    });
    match (node, rng.u8(0..10)) {
        (Value::String(_), 0..7) if date_like => date(rng),
        (Value::Number(_), 0..5) => number(rng),
        _ => extreme(rng),
    }
}

fn date(rng: &mut Rng) -> String {
    if rng.bool() {
        pick(rng, DATES).to_owned()
    } else {
        format!("\"{}\"", rfc3339(rng))
    }
}

fn number(rng: &mut Rng) -> String {
    match rng.u8(0..4) {
        0 => rng.u64(..).to_string(),
        1 => format!("{}", f64::from_bits(rng.u64(..))).replace("inf", "1e999"),
        _ => pick(rng, NUMBERS).to_owned(),
    }
}

fn inject_keys(rng: &mut Rng, tree: &Value) -> Vec<u8> {
    let mut tree = tree.clone();
    let mut raws = Vec::new();
    for k in 0..rng.usize(1..=3) {
        let key = pick(rng, KEYS);
        let node = random_node(rng, &mut tree);
        let target = if node.is_object() { node } else { &mut tree };
        if let Value::Object(map) = target {
            map.insert(key.to_owned(), placeholder(k));
            raws.push(extreme(rng));
        }
    }
    render(rng, &tree, &raws)
}

/// An extreme value as raw text: a number, a date, another odd value, a long string or
/// number, or nesting past serde's limit.
fn extreme(rng: &mut Rng) -> String {
    match rng.u8(0..20) {
        0..5 => number(rng),
        5..8 => date(rng),
        8..15 => pick(rng, OTHERS).to_owned(),
        15 => format!("\"{}\"", long_string(rng)),
        16 => "9".repeat(rng.usize(20..400)),
        17 => String::from_utf8_lossy(&nested(rng)).into_owned(),
        _ => format!("\"{}\"", rng.u64(..)),
    }
}

/// A long string: up to 70 KB, most far shorter, plain, escaped or multi-byte.
fn long_string(rng: &mut Rng) -> String {
    let len = if rng.u8(0..20) == 0 {
        rng.usize(4096..70_000)
    } else {
        rng.usize(100..5000)
    };
    let unit = pick(rng, &["a", "é", "\\u00e9", "\\n", "😀", "<Code>", " "]);
    unit.repeat(len / unit.len().max(1))
}

/// Nesting deeper than serde_json's recursion limit (128), bounded at 1000 levels so
/// that the limit, not the stack, stops it.
fn nested(rng: &mut Rng) -> Vec<u8> {
    let depth = if rng.bool() {
        rng.usize(100..=160)
    } else {
        rng.usize(1..=1000)
    };
    let (open, close, inner) = match rng.u8(0..4) {
        0 => ("[", "]", "1"),
        1 => ("{\"a\":", "}", "null"),
        2 => ("[{\"details\":", "}]", "[]"),
        _ => ("[", "", ""),
    };
    let mut text = open.repeat(depth);
    text.push_str(inner);
    text.push_str(&close.repeat(depth));
    text.into_bytes()
}

/// An error body in one of the vendors' shapes (or a mix), S3 XML, or HTML.
fn error_body(rng: &mut Rng) -> Vec<u8> {
    match rng.u8(0..3) {
        0 => {
            let mut tree = serde_json::Map::new();
            let mut raws = Vec::new();
            for k in 0..rng.usize(1..=5) {
                let key = pick(
                    rng,
                    &[
                        "message",
                        "code",
                        "error",
                        "errors",
                        "result",
                        "details",
                        "errorDetails",
                        "externalReference",
                        "requestId",
                        "error_description",
                        "success",
                        "info",
                    ],
                );
                tree.insert(key.to_owned(), placeholder(k));
                raws.push(match rng.u8(0..4) {
                    0 => r#"{"message":"m","code":7,"info":{"a":1}}"#.to_owned(),
                    1 => r#"[{"message":"first","code":"C"},{"message":2}]"#.to_owned(),
                    _ => extreme(rng),
                });
            }
            render(rng, &Value::Object(tree), &raws)
        }
        1 => {
            let parts = [
                "<Error>",
                "</Error>",
                "<Code>",
                "</Code>",
                "<Message>",
                "</Message>",
                "<RequestId>",
                "</RequestId>",
                "é",
                "x",
                " ",
                "<?xml version=\"1.0\"?>",
                "😀",
            ];
            let mut text = String::new();
            for _ in 0..rng.usize(0..24) {
                text.push_str(parts[rng.usize(..parts.len())]);
            }
            text.into_bytes()
        }
        _ => format!(
            "<html><head><title>{0}</title></head><body>{0}</body></html>",
            random_text(rng)
        )
        .into_bytes(),
    }
}

// ---------------------------------------------------------------------------------------
// Texts

const NAMES: &[&str] = &[
    "Model",
    "ASSET_TYPE_DECAL",
    "ASSET_TYPE_",
    "ASSET_TYPE_ASSET_TYPE_MODEL",
    "asset_type_model",
    "Animation",
    "Audio",
    "Decal",
    "Image",
    "Mesh",
    "Video",
    "Plugin",
    "MODERATION_STATE_APPROVED",
    "MODERATION_STATE_",
    "Reviewing",
    "rejected",
    "STATE_ACTIVE",
    "STATE_",
    "Archived",
    "placeholder",
    "article",
    "processing",
    "image",
    "video",
    "audio",
    "document",
    "hologram",
    "fbx",
    "JPG",
    "",
    " ",
    "\0",
    "ＭＯＤＥＬ",
    "MODEL\u{301}",
    "ẞ",
    "İmage",
    "mode\u{212a}", // KELVIN SIGN, which lowercases to 'k'
];

fn name(rng: &mut Rng) -> String {
    let base = pick(rng, NAMES);
    let mut name = recase(rng, base);
    match rng.u8(0..6) {
        0 => name.insert_str(0, "ASSET_TYPE_"),
        1 => name.insert_str(0, "MODERATION_STATE_"),
        2 => name.push(char::from_u32(rng.u32(..0x11_0000)).unwrap_or('\u{fffd}')),
        _ => {}
    }
    name
}

fn random_text(rng: &mut Rng) -> String {
    (0..rng.usize(0..40))
        .map(|_| match rng.u8(0..4) {
            0 => char::from_u32(rng.u32(..0x11_0000)).unwrap_or('\u{fffd}'),
            _ => char::from(rng.u8(0x20..0x7f)),
        })
        .collect()
}

/// Recases ASCII letters: lower, UPPER, Title-Case (`X-RateLimit-Reset`-like) or at random.
fn recase(rng: &mut Rng, text: &str) -> String {
    match rng.u8(0..4) {
        0 => text.to_ascii_lowercase(),
        1 => text.to_ascii_uppercase(),
        2 => {
            let mut upper = true;
            text.chars()
                .map(|c| {
                    let out = if upper { c.to_ascii_uppercase() } else { c };
                    upper = !c.is_ascii_alphanumeric();
                    out
                })
                .collect()
        }
        _ => text
            .chars()
            .map(|c| {
                if rng.bool() {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------------------
// Headers, clocks, statuses, rate limits

const HEADER_NAMES: &[&str] = &[
    "retry-after",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "x-request-id",
    "x-amz-request-id",
    "x-roblox-request-id",
    "content-type",
];

const HEADER_VALUES: &[&str] = &[
    "18446744073709551615",
    "18446744073709551616",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "99999999999999999999999",
    "1e19",
    "1.8e19",
    "1.8446744073709552e19",
    "1e308",
    "1e309",
    "5e-324",
    "-1",
    "-0",
    "0",
    "-0.0",
    "0.0000001",
    "7.000000001",
    " 7 ",
    "+5",
    "0x10",
    "1_000",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "infinity",
    "Infinity",
    "999999999",
    "1000000000",
    "1700000030",
    "4102444800",
    "253402300799",
    "253402300800",
    "1e11",
    "100000000000",
    "",
    " ",
    "\t",
    "garbage",
    "soon",
    "Thu, 01 Jan 1970 00:00:00 GMT",
    "Wed, 31 Dec 1969 23:59:59 GMT",
    "Fri, 31 Dec 9999 23:59:59 GMT",
    "Sat, 01 Jan 10000 00:00:00 GMT",
    "Mon, 01 Jan 1900 00:00:00 GMT",
    "Sun, 06 Nov 1994 08:49:37 GMT",
    "Sunday, 06-Nov-94 08:49:37 GMT",
    "Sun Nov  6 08:49:37 1994",
    "Thu, 29 Feb 2024 12:00:00 GMT",
    "Wed, 29 Feb 2023 12:00:00 GMT",
    "Sat, 31 Dec 2016 23:59:60 GMT",
];

fn headers(rng: &mut Rng) -> Vec<(String, Vec<u8>)> {
    (0..rng.usize(0..=6))
        .map(|_| {
            let name = if rng.u8(0..5) == 0 {
                pick(rng, HEADER_NAMES)
            } else {
                // Mostly the four rate-limit headers.
                HEADER_NAMES[rng.usize(..4)]
            };
            (recase(rng, name), header_value(rng))
        })
        .collect()
}

fn header_value(rng: &mut Rng) -> Vec<u8> {
    let text = match rng.u8(0..20) {
        0..8 => pick(rng, HEADER_VALUES).to_owned(),
        8..11 => (rng.u64(..) >> rng.u32(0..64)).to_string(),
        11 => format!("{}.{}", rng.u64(..) >> rng.u32(0..64), rng.u32(..)),
        12 => format!("{}e{}", rng.u32(..100), rng.i32(-400..400)),
        13 => format!("{}", f64::from_bits(rng.u64(..))),
        14..18 => http_date(rng),
        18 => (NOW_SECS + rng.u64(..100_000)).to_string(),
        _ => {
            // Garbage of the bytes a header value may hold (tab, visible ASCII, obs-text).
            return (0..rng.usize(0..24))
                .map(|_| match rng.u8(0..8) {
                    0 => b'\t',
                    1 => rng.u8(0x80..=0xff),
                    _ => rng.u8(0x20..0x7f),
                })
                .collect();
        }
    };
    text.into_bytes()
}

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const LONG_WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The weekday (0 = Sunday) of a Gregorian date, by Sakamoto's method.
fn weekday(year: u32, month: u32, day: u32) -> usize {
    const T: [u32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if month < 3 { year + 9999 } else { year + 10_000 }; // shifted: never below 0
    let m = usize::try_from(month.clamp(1, 12) - 1).unwrap_or(0);
    let w = (y + y / 4 - y / 100 + y / 400 + T[m] + day) % 7;
    // The shift by 10000 years (a multiple of 400) keeps the weekday.
    usize::try_from(w).unwrap_or(0)
}

/// An HTTP date in one of its three formats, mostly valid, with the far past and future.
fn http_date(rng: &mut Rng) -> String {
    let year = match rng.u8(0..10) {
        0..6 => rng.u32(1970..=2100),
        6 => 9999,
        7 => rng.u32(1900..1970),
        8 => rng.u32(2100..=9999),
        _ => rng.u32(0..=99_999),
    };
    let month = if rng.u8(0..20) == 0 {
        rng.u32(0..=13)
    } else {
        rng.u32(1..=12)
    };
    let day = if rng.u8(0..20) == 0 {
        rng.u32(0..=40)
    } else {
        rng.u32(1..=28)
    };
    let (hour, minute, second) = if rng.u8(0..20) == 0 {
        (rng.u32(0..=99), rng.u32(0..=99), rng.u32(0..=61))
    } else {
        (rng.u32(0..24), rng.u32(0..60), rng.u32(0..60))
    };
    let wday = if rng.u8(0..4) == 0 {
        rng.usize(..7)
    } else {
        weekday(year, month, day)
    };
    let mon = MONTHS[usize::try_from(month.clamp(1, 12) - 1).unwrap_or(0)];
    let mut text = String::new();
    let _ = match rng.u8(0..6) {
        0 => write!(
            text,
            "{}, {day:02}-{mon}-{:02} {hour:02}:{minute:02}:{second:02} GMT",
            LONG_WEEKDAYS[wday],
            year % 100
        ),
        1 => write!(
            text,
            "{} {mon} {day:>2} {hour:02}:{minute:02}:{second:02} {year}",
            WEEKDAYS[wday]
        ),
        _ => write!(
            text,
            "{}, {day:02} {mon} {year:04} {hour:02}:{minute:02}:{second:02} GMT",
            WEEKDAYS[wday]
        ),
    };
    text
}

/// An RFC 3339 date with random parts: a year far out of range at times, the other
/// parts mostly in range (a quarter of the dates have any of them out).
fn rfc3339(rng: &mut Rng) -> String {
    let wild = rng.u8(0..4) == 0;
    let year = match rng.u8(0..4) {
        0 => rng.i32(-300_000..300_000),
        _ => rng.i32(0..=9999),
    };
    let fraction = match rng.u8(0..3) {
        0 => String::new(),
        1 => format!(".{}", rng.u32(..1000)),
        _ => format!(".{}", "9".repeat(rng.usize(1..30))),
    };
    let offset = match rng.u8(0..4) {
        0 => "Z".to_owned(),
        1 => format!("+{:02}:{:02}", rng.u32(0..100), rng.u32(0..100)),
        2 => format!("-{:02}:{:02}", rng.u32(0..24), rng.u32(0..60)),
        _ => "z".to_owned(),
    };
    format!(
        "{year:04}-{:02}-{:02}T{:02}:{:02}:{:02}{fraction}{offset}",
        if wild { rng.u32(0..=13) } else { rng.u32(1..=12) },
        if wild { rng.u32(0..=32) } else { rng.u32(1..=28) },
        if wild { rng.u32(0..=24) } else { rng.u32(0..24) },
        if wild { rng.u32(0..=60) } else { rng.u32(0..60) },
        if wild { rng.u32(0..=61) } else { rng.u32(0..=60) },
    )
}

fn now(rng: &mut Rng) -> SystemTime {
    let after = |d: Duration| UNIX_EPOCH.checked_add(d).unwrap_or(UNIX_EPOCH);
    let before = |d: Duration| UNIX_EPOCH.checked_sub(d).unwrap_or(UNIX_EPOCH);
    let max_secs = u64::try_from(i64::MAX).unwrap_or(u64::MAX);
    match rng.u8(0..10) {
        0 => UNIX_EPOCH,
        1..4 => after(Duration::new(
            NOW_SECS + rng.u64(..31_536_000),
            rng.u32(..1_000_000_000),
        )),
        4 => after(Duration::from_secs(FAR_FUTURE_SECS)),
        5 => after(Duration::new(
            rng.u64(..=FAR_FUTURE_SECS),
            rng.u32(..1_000_000_000),
        )),
        6 => before(Duration::new(
            rng.u64(1..=FAR_FUTURE_SECS),
            rng.u32(..1_000_000_000),
        )),
        7 => after(Duration::new(max_secs, 999_999_999)),
        8 => before(Duration::from_secs(max_secs)),
        _ => after(Duration::from_secs(253_402_300_799)), // 9999-12-31T23:59:59Z
    }
}

fn status(rng: &mut Rng) -> u16 {
    match rng.u8(0..20) {
        0 => 0,
        1 => 100,
        2 => 200,
        3 => 204,
        4 => 999,
        5 => u16::MAX,
        6 => rng.u16(..),
        7 => 429,
        _ => rng.u16(400..=599),
    }
}

fn rate_limit(rng: &mut Rng) -> RateLimit {
    let number = |rng: &mut Rng| match rng.u8(0..6) {
        0 | 1 => None,
        2 => Some(0),
        3 => Some(u64::MAX),
        _ => Some(rng.u64(..) >> rng.u32(0..64)),
    };
    let duration = |rng: &mut Rng| match rng.u8(0..7) {
        0 | 1 => None,
        2 => Some(Duration::ZERO),
        3 => Some(Duration::MAX),
        4 => Some(Duration::from_secs(u64::MAX)),
        _ => Some(Duration::new(
            rng.u64(..) >> rng.u32(0..64),
            rng.u32(..1_000_000_000),
        )),
    };
    let mut limits = RateLimit::default();
    limits.limit = number(rng);
    limits.remaining = number(rng);
    limits.reset = duration(rng);
    limits.retry_after = duration(rng);
    limits
}

// ---------------------------------------------------------------------------------------
// Descriptions

/// At most `max` bytes of `bytes`, escaped to printable ASCII.
pub(crate) fn escape(bytes: &[u8], max: usize) -> String {
    let shown = &bytes[..bytes.len().min(max)];
    let mut text = format!("b\"{}\"", shown.escape_ascii());
    if bytes.len() > max {
        let _ = write!(text, "… ({} bytes in all)", bytes.len());
    }
    text
}

pub(crate) fn describe_now(now: SystemTime) -> String {
    match now.duration_since(UNIX_EPOCH) {
        Ok(after) => format!("UNIX_EPOCH + {}.{:09}s", after.as_secs(), after.subsec_nanos()),
        Err(error) => {
            let before = error.duration();
            format!("UNIX_EPOCH - {}.{:09}s", before.as_secs(), before.subsec_nanos())
        }
    }
}

pub(crate) fn describe_headers(list: &[(String, Vec<u8>)], max: usize) -> String {
    let items: Vec<String> = list
        .iter()
        .map(|(name, value)| format!("{name}: {}", escape(value, max)))
        .collect();
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_and_index_same_input() {
        let seeds = crate::seeds::load();
        for index in [0, 1, 99, 12_345] {
            let a = input(7, index, &seeds);
            let b = input(7, index, &seeds);
            assert_eq!(
                (&a.body, &a.text, &a.header_list),
                (&b.body, &b.text, &b.header_list)
            );
            assert_eq!((a.now, a.status, a.rate_limit), (b.now, b.status, b.rate_limit));
        }
        let differ = (0..50).any(|i| input(7, i, &seeds).body != input(8, i, &seeds).body);
        assert!(differ);
    }

    #[test]
    fn covers_a_reset_past_system_time() {
        // A reset read as a Unix timestamp beyond SystemTime's range (i64 seconds): the
        // generator must keep producing it, whatever the parser does with it.
        let seeds = crate::seeds::load();
        let hits = (0..5_000)
            .filter(|&i| {
                let input = input(1, i, &seeds);
                input.headers.get("x-ratelimit-reset").is_some_and(|v| {
                    v.to_str()
                        .ok()
                        .and_then(|s| s.trim().parse::<f64>().ok())
                        .is_some_and(|n| n > 9.3e18 && n < 1.8e19)
                })
            })
            .count();
        assert!(hits > 10, "{hits}");
    }

    #[test]
    fn weekdays_are_right() {
        assert_eq!(WEEKDAYS[weekday(1970, 1, 1)], "Thu");
        assert_eq!(WEEKDAYS[weekday(1994, 11, 6)], "Sun");
        assert_eq!(WEEKDAYS[weekday(9999, 12, 31)], "Fri");
        assert_eq!(WEEKDAYS[weekday(2024, 2, 29)], "Thu");
    }

    #[test]
    fn placeholders_render_raw() {
        let mut rng = Rng::with_seed(1);
        let tree = serde_json::json!({"a": placeholder(0), "b": [placeholder(1)]});
        let text = render(&mut rng, &tree, &["1e999".into(), "NaN".into()]);
        let text = String::from_utf8(text).unwrap();
        assert!(text.contains("1e999") && text.contains("NaN"), "{text}");
    }
}
