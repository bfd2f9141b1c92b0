//! The seed corpus: example answers of the vendors' documentation and of the workspace's
//! tests, in `corpus/*.json`. Each file is a JSON array; an element that is a string is a
//! raw body (XML, HTML, text), any other element is a JSON body.

use serde_json::Value;

/// The corpus files, embedded so that a run needs no file system.
const FILES: [(&str, &str); 6] = [
    ("roblox", include_str!("../corpus/roblox.json")),
    ("webflow", include_str!("../corpus/webflow.json")),
    ("mediapocket", include_str!("../corpus/mediapocket.json")),
    ("enklu", include_str!("../corpus/enklu.json")),
    ("unicat", include_str!("../corpus/unicat.json")),
    ("other", include_str!("../corpus/other.json")),
];

/// One example body.
#[derive(Debug, Clone)]
pub(crate) struct Seed {
    /// The body as sent (compact JSON, or the raw text).
    pub(crate) bytes: Vec<u8>,
    /// The JSON tree, for structural mutations; `None` for raw bodies.
    pub(crate) tree: Option<Value>,
}

/// Every seed of every corpus file, in file order.
pub(crate) fn load() -> Vec<Seed> {
    let mut seeds = Vec::new();
    for (name, text) in FILES {
        let Ok(Value::Array(items)) = serde_json::from_str::<Value>(text) else {
            panic!("corpus/{name}.json must be a JSON array");
        };
        for item in items {
            seeds.push(match item {
                Value::String(raw) => Seed {
                    bytes: raw.into_bytes(),
                    tree: None,
                },
                tree => Seed {
                    bytes: serde_json::to_vec(&tree).unwrap_or_default(),
                    tree: Some(tree),
                },
            });
        }
    }
    seeds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_corpus_file_loads() {
        let seeds = load();
        assert!(seeds.len() > 40, "{} seeds", seeds.len());
        assert!(seeds.iter().any(|s| s.tree.is_none()));
        assert!(seeds.iter().all(|s| s.tree.is_none() || !s.bytes.is_empty()));
    }
}
