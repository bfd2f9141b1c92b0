//! The journal's cost at scale: open (read, compact, fsync, rename), then one lookup per
//! file as a resumed batch does to skip what is done, for a 100,000-file journal.
//!
//! Measured against a reference in the same run: reading the same file and writing it back
//! whole with one `fsync` (what any compaction must at least do). `--markdown
//! docs/BENCHMARKS.md` rewrites the journal section of that file.
//!
//! ```sh
//! cargo bench --bench journal                                   # prints the table
//! cargo bench --bench journal -- --markdown docs/BENCHMARKS.md  # and rewrites the section
//! ```

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assetkit::journal::Journal;

const START: &str = "<!-- journal:start -->";
const END: &str = "<!-- journal:end -->";

fn main() {
    let mut args = std::env::args().skip(1);
    let mut files = 100_000usize;
    let mut runs = 5usize;
    let mut markdown: Option<PathBuf> = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--files" => files = args.next().and_then(|v| v.parse().ok()).expect("--files N"),
            "--runs" => runs = args.next().and_then(|v| v.parse().ok()).expect("--runs N"),
            "--markdown" => markdown = args.next().map(PathBuf::from),
            // cargo bench passes --bench.
            _ => {}
        }
    }
    let dir = tempfile::tempdir_in(std::env::current_dir().unwrap()).unwrap();
    let path = dir.path().join("batch.journal");
    let target = "webflow site 580e63e98c9a982ac9b8b741 at https://api.webflow.com/v2";
    write_journal(&path, target, files);
    let bytes = std::fs::metadata(&path).unwrap().len();
    // The first open compacts three events a file into one; the runs after it open a
    // compacted journal, as every resume after the first does.
    let started = Instant::now();
    drop(Journal::open(&path, target).unwrap());
    let first = started.elapsed();
    let compacted = std::fs::metadata(&path).unwrap().len();

    let mut reference = Vec::new();
    let mut open = Vec::new();
    let mut skip = Vec::new();
    for _ in 0..runs {
        reference.push(time(|| copy_back(&path)));
        let started = Instant::now();
        let journal = Journal::open(&path, target).unwrap();
        open.push(started.elapsed());
        let started = Instant::now();
        let mut done = 0;
        for i in 0..files {
            let record = journal.get(&key(i)).unwrap();
            done += usize::from(record.is_done_with(&sha(i)));
        }
        skip.push(started.elapsed());
        assert_eq!(done, files, "every file is found done");
    }
    let (reference, open, skip) = (median(reference), median(open), median(skip));
    let table = format!(
        "Journal of {files} done files ({} KiB as a batch leaves it, {} KiB compacted), median of {runs} runs:\n\n\
         | step | time | against the reference |\n|---|---|---|\n\
         | first open: compacting 3 events a file into 1 | {} | |\n\
         | reference: read the compacted file, write it back, `fsync`, rename | {} | 1.00x |\n\
         | `Journal::open` (lock, parse, compact, `fsync`, rename) | {} | {:.2}x |\n\
         | {files} lookups to skip done files | {} | |\n\
         | open and skip, in all | {} | |\n",
        bytes / 1024,
        compacted / 1024,
        ms(first),
        ms(reference),
        ms(open),
        open.as_secs_f64() / reference.as_secs_f64(),
        ms(skip),
        ms(open + skip),
    );
    println!("{table}");
    if let Some(markdown) = markdown {
        write_into(&markdown, &table);
    }
}

fn key(i: usize) -> String {
    format!("/home/user/project/assets/textures/file{i:06}.png")
}

fn sha(i: usize) -> String {
    format!("{i:064x}")
}

/// A journal as a long batch leaves it: a header, then intent, created and done for every
/// file (compaction keeps only the done line).
fn write_journal(path: &Path, target: &str, files: usize) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(
        out,
        "{}",
        serde_json::json!({"event": "journal", "version": 1, "target": target})
    )
    .unwrap();
    for i in 0..files {
        let (key, sha) = (key(i), sha(i));
        let lines = [
            serde_json::json!({"event": "intent", "key": key, "sha256": sha}),
            serde_json::json!({"event": "created", "key": key, "data": {"asset": format!("asset{i}")}}),
            serde_json::json!({"event": "done", "key": key, "sha256": sha, "id": format!("asset{i}"), "detail": format!("https://cdn.example.com/{i}.png")}),
        ];
        for line in lines {
            writeln!(out, "{line}").unwrap();
        }
    }
    out.flush().unwrap();
}

fn copy_back(path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    let temporary = path.with_extension("reference");
    let mut file = std::fs::File::create(&temporary).unwrap();
    file.write_all(&bytes).unwrap();
    file.sync_all().unwrap();
    std::fs::rename(&temporary, path.with_extension("copy")).unwrap();
}

fn time(f: impl FnOnce()) -> Duration {
    let started = Instant::now();
    f();
    started.elapsed()
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn write_into(path: &Path, markdown: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let (Some(start), Some(end)) = (text.find(START), text.find(END)) else {
        panic!("{} has no {START} ... {END} markers", path.display());
    };
    let updated = format!("{}{START}\n{markdown}{}", &text[..start], &text[end..]);
    std::fs::write(path, updated).unwrap();
}
