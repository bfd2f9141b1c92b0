//! What the command prints: text for people, JSON for scripts.

use std::path::Path;

use assetkit::Error;
use serde_json::{Value, json};

use crate::batch::{Outcome, Report};
use crate::exit::Exit;

/// Prints results as text or JSON.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Output {
    json: bool,
    /// Whether the command keeps a journal, so that running it again skips what is done.
    journal: bool,
}

impl Output {
    pub(crate) fn new(json: bool, journal: bool) -> Self {
        Self { json, journal }
    }

    pub(crate) fn is_json(self) -> bool {
        self.json
    }

    /// One result: `text` for people, `value` for scripts.
    pub(crate) fn show(self, text: &str, value: &Value) {
        if self.json {
            println!("{value}");
        } else {
            println!("{text}");
        }
    }

    /// A line of narration (text mode only, on stderr so stdout stays clean).
    pub(crate) fn note(self, text: &str) {
        if !self.json {
            eprintln!("{text}");
        }
    }

    /// A failure, with what to do about it.
    pub(crate) fn error(self, error: &Error) {
        if self.json {
            let created = error
                .created()
                .map(|c| json!({"vendor": c.vendor.name(), "kind": c.kind, "id": c.id}));
            println!(
                "{}",
                json!({"error": error.to_string(), "report": error.report(), "status": error.status(), "exit": Exit::of(error) as u8, "created": created})
            );
        } else {
            eprintln!("error: {error}");
            let mut cause = std::error::Error::source(error);
            while let Some(current) = cause {
                eprintln!("caused by: {current}");
                cause = current.source();
            }
            if let Some(created) = error.created() {
                eprintln!(
                    "note: {} {} {} exists; use its id to retry or clean up",
                    created.vendor, created.kind, created.id
                );
            }
            if error.is_not_found() {
                eprintln!("hint: check the id; the vendor's `list` command shows what exists");
            } else if let Some(hint) = Exit::of(error).hint(self.journal) {
                eprintln!("hint: {hint}");
            }
        }
    }

    /// A failure found before any request (a missing credential or setting), with the
    /// code it exits with.
    pub(crate) fn message(self, message: &str, exit: Exit) {
        if self.json {
            println!("{}", json!({"error": message, "exit": exit as u8}));
        } else {
            eprintln!("error: {message}");
        }
    }

    /// The summary of a batch, and its exit code.
    pub(crate) fn report(self, report: &Report) -> Exit {
        let uploaded = report.count(|o| matches!(o, Outcome::Uploaded(_)));
        let skipped = report.count(|o| matches!(o, Outcome::Skipped(_)));
        let failed = report.count(|o| matches!(o, Outcome::Failed(_)));
        let not_started = report.count(|o| matches!(o, Outcome::NotStarted));
        let failures = Exit::of_all(report.results.iter().filter_map(|(_, o)| match o {
            Outcome::Failed(error) => Some(error),
            _ => None,
        }));
        // Some files done and some failed: 1. All failed alike: what they failed of.
        let exit = match &report.fatal {
            _ if report.interrupted => Exit::Interrupted,
            Some(error) => Exit::of(error),
            None if failed > 0 && uploaded + skipped > 0 => Exit::Failed,
            None => failures,
        };
        if self.json {
            let files: Vec<Value> = report
                .results
                .iter()
                .map(|(path, outcome)| file_json(path, outcome))
                .collect();
            println!(
                "{}",
                json!({
                    "uploaded": uploaded, "skipped": skipped, "failed": failed, "not_started": not_started,
                    "interrupted": report.interrupted,
                    "fatal": report.fatal.as_ref().map(ToString::to_string), "files": files, "exit": exit as u8,
                })
            );
            return exit;
        }
        for (path, outcome) in &report.results {
            let path = path.display();
            match outcome {
                Outcome::Uploaded(u) => println!("uploaded  {path} -> {} {}", u.id, u.detail),
                Outcome::Skipped(id) => println!("skipped   {path} -> {id} (already uploaded, unchanged)"),
                Outcome::Failed(error) => match error.created() {
                    Some(c) => println!(
                        "failed    {path}: {error} ({} {} {} exists: finish or remove it)",
                        c.vendor, c.kind, c.id
                    ),
                    None => println!("failed    {path}: {error}"),
                },
                Outcome::NotStarted => println!("not started {path} (the batch stopped)"),
            }
        }
        println!(
            "{} uploaded, {skipped} skipped, {failed} failed, {not_started} not started",
            files(uploaded)
        );
        if report.interrupted {
            eprintln!("stopped by Ctrl-C: run the same command with the same --journal to finish");
        }
        if let Some(error) = &report.fatal {
            self.error(error);
        } else if failed > 0 {
            let hint = match failures {
                Exit::Failed | Exit::Unavailable if self.journal => {
                    Some("run the same command again to retry only what failed; finished files are skipped")
                }
                Exit::Failed | Exit::Unavailable => {
                    Some("run the same command again with --journal PATH to retry only what failed")
                }
                other => other.hint(self.journal),
            };
            if let Some(hint) = hint {
                eprintln!("hint: {hint}");
            }
        }
        exit
    }
}

/// "1 file", "2 files".
pub(crate) fn files(count: usize) -> String {
    if count == 1 {
        "1 file".to_owned()
    } else {
        format!("{count} files")
    }
}

fn file_json(path: &Path, outcome: &Outcome) -> Value {
    let path = path.display().to_string();
    match outcome {
        Outcome::Uploaded(u) => json!({"path": path, "status": "uploaded", "id": u.id, "detail": u.detail}),
        Outcome::Skipped(id) => json!({"path": path, "status": "skipped", "id": id}),
        Outcome::Failed(error) => json!({
            "path": path,
            "status": "failed",
            "error": error.to_string(),
            "report": error.report(),
            // What exists at the vendor although the file failed, so scripts can finish
            // the upload or clean up.
            "created": error
                .created()
                .map(|c| json!({"vendor": c.vendor.name(), "kind": c.kind, "id": c.id})),
        }),
        Outcome::NotStarted => json!({"path": path, "status": "not_started"}),
    }
}
