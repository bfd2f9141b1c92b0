//! The transport benchmark: assetkit side by side with the tools that set the physical
//! limit on this machine, in one process run, alternating ours and theirs run by run.
//!
//! - MD5 of a large file: `file_md5` (Webflow's `fileHash`) against `md5sum`.
//! - A large multipart upload (Roblox Create Asset's form) against `curl -F` of the same
//!   file to the same loopback sink: wall time, CPU time and peak RSS.
//! - Webflow's one-call upload (MD5, step 1, the S3 form) against the floor: `md5sum`'s
//!   time plus `curl -F`'s time for the S3 form.
//! - A large download (`Client::download(..).to_path(..)`) against `curl -o` of the same
//!   bytes from the same sink: wall time, CPU time and peak RSS.
//! - Small JSON POSTs at concurrency 32: the core client against bare reqwest.
//! - A batch of Webflow uploads at concurrency 2 against its hashing and sending totals.
//!
//! Every measured command, ours included, runs as its own process under a meter (see
//! `meter.rs`); the loopback sink runs in this process. A reference tool that is not
//! installed is reported as skipped. Nothing here asserts a timing.
//!
//! Run: `cargo bench --bench transport` (options after `--`: `--runs N`, `--mib N`,
//! `--batch-files N`, `--batch-mib N`, `--requests N`, `--only a,b`, and
//! `--markdown docs/BENCHMARKS.md` to regenerate the measured section of that file).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::cast_precision_loss,
    clippy::cast_sign_loss,
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::missing_panics_doc,
    clippy::too_many_lines,
    clippy::useless_vec,
    missing_docs,
    unreachable_pub
)] // a benchmark: a failure should stop it loudly

mod child;
mod meter;
mod report;
mod sink;

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use meter::{Sample, available, measure};
use report::{Goal, Report, Row, Stat};
use sink::Sink;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("__meter") => meter::run(&args[2..]),
        Some("__child") => child::run(&args[2..]),
        // The loopback sink alone, for profiling a child by hand: prints its origin and
        // serves until killed (BENCHMARKS.md shows how).
        Some("__sink") => {
            let sink = Sink::start();
            println!("{}", sink.origin);
            loop {
                std::thread::park();
            }
        }
        _ => bench(&Options::parse(&args[1..])),
    }
}

/// What to measure, from the command line.
#[derive(Debug)]
struct Options {
    runs: usize,
    mib: u64,
    batch_files: usize,
    batch_mib: u64,
    requests: usize,
    concurrency: usize,
    only: Option<Vec<String>>,
    markdown: Option<PathBuf>,
}

impl Options {
    fn parse(args: &[String]) -> Self {
        let mut options = Options {
            runs: 5,
            mib: 1024,
            batch_files: 100,
            batch_mib: 10,
            requests: 10_000,
            concurrency: 32,
            only: None,
            markdown: None,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = || args.next().expect("a value after the option").clone();
            match arg.as_str() {
                "--runs" => options.runs = value().parse().expect("--runs N"),
                "--mib" => options.mib = value().parse().expect("--mib N"),
                "--batch-files" => options.batch_files = value().parse().expect("--batch-files N"),
                "--batch-mib" => options.batch_mib = value().parse().expect("--batch-mib N"),
                "--requests" => options.requests = value().parse().expect("--requests N"),
                "--concurrency" => options.concurrency = value().parse().expect("--concurrency N"),
                "--only" => options.only = Some(value().split(',').map(str::to_owned).collect()),
                "--markdown" => options.markdown = Some(PathBuf::from(value())),
                // What cargo passes to every benchmark.
                "--bench" => {}
                other => panic!("unknown option {other}"),
            }
        }
        assert!(options.runs >= 1, "--runs must be at least 1");
        options
    }

    fn wants(&self, section: &str) -> bool {
        self.only
            .as_ref()
            .is_none_or(|only| only.iter().any(|s| s == section))
    }
}

/// A file of `mib` MiB whose bytes do not repeat within a MiB.
fn write_file(path: &Path, mib: u64, seed: u8) {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let chunk: Vec<u8> = (0..1024 * 1024u32)
        .map(|i| (i.wrapping_mul(31).wrapping_add(u32::from(seed)) % 251) as u8)
        .collect();
    for _ in 0..mib {
        file.write_all(&chunk).unwrap();
    }
    file.flush().unwrap();
}

/// The arguments of a command, of any mix of string and path types.
macro_rules! args {
    ($($arg:expr),* $(,)?) => {
        vec![$(OsString::from(AsRef::<std::ffi::OsStr>::as_ref(&$arg))),*]
    };
}

/// Our side: this benchmark as a child in `mode`.
fn ours(mode: &str, rest: &[OsString]) -> Sample {
    let mut all = args!["__child", mode];
    all.extend_from_slice(rest);
    measure(std::env::current_exe().unwrap(), &all)
}

/// Runs of ours and the reference, side by side.
type Pairs = Vec<(Sample, Sample)>;

/// Runs `pair` `runs` times after one warm-up, swapping which side goes first every run.
/// `pair(ours_first)` answers one run's measurements.
fn alternate<T>(runs: usize, mut pair: impl FnMut(bool) -> T) -> Vec<T> {
    let _warm_up = pair(false);
    (0..runs).map(|run| pair(run % 2 == 1)).collect()
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn bench(options: &Options) {
    let dir = std::env::temp_dir().join(format!("assetkit-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sink = Sink::start();
    let mut report = Report::new(options);
    let have_curl = available("curl");
    let have_md5sum = available("md5sum");

    let big = dir.join("big.mp4");
    let needs_big = ["md5", "upload", "webflow"].iter().any(|s| options.wants(s));
    if needs_big {
        eprintln!("writing a {} MiB file...", options.mib);
        write_file(&big, options.mib, 0);
    }
    let big_len = options.mib * 1024 * 1024;
    let label = format!("{} MiB", options.mib);

    // 1. MD5: ours against md5sum; with the `openssl-md5` feature, both of ours (the
    // feature's OpenSSL and the portable md-5 the library uses without it).
    if options.wants("md5") {
        let mut hashes = vec![(
            "hash",
            if cfg!(feature = "openssl-md5") {
                "`file_md5`, OpenSSL (`openssl-md5`)"
            } else {
                "`file_md5`, md-5"
            },
        )];
        if cfg!(feature = "openssl-md5") {
            hashes.push(("hash-md5-crate", "md-5, as `file_md5` without `openssl-md5`"));
        }
        for (mode, what) in hashes {
            let section = format!("MD5 of {label} ({what})");
            if have_md5sum {
                let runs = alternate(options.runs, |ours_first| {
                    let run = || ours(mode, &args![big]);
                    let theirs = || measure("md5sum", &args![big]);
                    let (a, b) = if ours_first {
                        let a = run();
                        (a, theirs())
                    } else {
                        let b = theirs();
                        (run(), b)
                    };
                    assert_eq!(
                        a.stdout.split_whitespace().next(),
                        b.stdout.split_whitespace().next(),
                        "our MD5 differs from md5sum's"
                    );
                    eprintln!("{mode}: ours {:.3} s, md5sum {:.3} s", secs(a.wall), secs(b.wall));
                    (a, b)
                });
                report.push(Row::speed(
                    &section,
                    "speed vs `md5sum` (their time / ours)",
                    &runs,
                    Some(Goal::AtLeast(0.98)),
                ));
                report.push(Row::cpu(
                    &section,
                    "CPU time vs `md5sum` (ours / theirs)",
                    &runs,
                    None,
                ));
            } else {
                report.push(Row::skipped(
                    &section,
                    "speed vs `md5sum`",
                    "md5sum is not installed",
                ));
            }
        }
    }

    // 2. The Roblox Create Asset form against curl -F.
    if options.wants("upload") {
        let section = format!("multipart upload of {label} (Roblox Create Asset form)");
        let url = format!("{}/assets/v1/assets", sink.origin);
        let request = r#"request={"assetType":"Video","displayName":"bench","description":"","creationContext":{"creator":{"userId":"1"}}}"#;
        let file_part = format!("fileContent=@{};type=video/mp4", big.display());
        let key = format!("x-api-key: {}", child::KEY);
        if have_curl {
            let runs = alternate(options.runs, |ours_first| {
                let run = || {
                    let before = sink.body_bytes();
                    let sample = ours("roblox", &args![sink.origin, big]);
                    assert!(
                        sink.body_bytes() - before > big_len,
                        "the sink got the whole file"
                    );
                    sample
                };
                let theirs = || {
                    let before = sink.body_bytes();
                    let sample = measure(
                        "curl",
                        &args![
                            "-fsS",
                            "-o",
                            "/dev/null",
                            "-H",
                            key,
                            "--form-string",
                            request,
                            "-F",
                            file_part,
                            url
                        ],
                    );
                    assert!(
                        sink.body_bytes() - before > big_len,
                        "the sink got the whole file"
                    );
                    sample
                };
                let (a, b) = if ours_first {
                    let a = run();
                    (a, theirs())
                } else {
                    let b = theirs();
                    (run(), b)
                };
                eprintln!(
                    "upload: ours {:.3} s {:.3} cpu {} KiB, curl {:.3} s {:.3} cpu {} KiB",
                    secs(a.wall),
                    secs(a.cpu),
                    a.rss_kib,
                    secs(b.wall),
                    secs(b.cpu),
                    b.rss_kib
                );
                (a, b)
            });
            report.push(Row::time(
                &section,
                "wall time vs `curl -F` (ours / theirs)",
                &runs,
                Goal::AtMost(1.1),
            ));
            report.push(Row::cpu(
                &section,
                "CPU time (user + sys) vs `curl -F`",
                &runs,
                Some(Goal::AtMost(1.5)),
            ));
            report.push(Row::rss(
                &section,
                "peak RSS vs `curl -F`",
                &runs,
                Some(Goal::AtMost(1.5)),
            ));
        } else {
            report.push(Row::skipped(&section, "vs `curl -F`", "curl is not installed"));
        }
        // Memory is flat: the same peak for a small file and the large one.
        let small = dir.join("small.mp4");
        write_file(&small, 16, 1);
        let small_runs: Vec<Sample> = (0..3)
            .map(|_| ours("roblox", &args![sink.origin, small]))
            .collect();
        let large_runs: Vec<Sample> = (0..3).map(|_| ours("roblox", &args![sink.origin, big])).collect();
        report.push(Row::flat(
            &section,
            &format!("our peak RSS, 16 MiB file vs {label}"),
            &small_runs,
            &large_runs,
        ));
        std::fs::remove_file(&small).unwrap();
    }

    // 3. Webflow's one-call upload against md5sum + curl -F of the S3 form.
    if options.wants("webflow") {
        let section = format!("Webflow one-call upload of {label} (MD5 + step 1 + S3 form)");
        if have_curl && have_md5sum {
            let url = format!("{}/s3", sink.origin);
            let mut form: Vec<OsString> = args!["-fsS", "-o", "/dev/null"];
            for (key, value) in sink::s3_fields() {
                form.push("--form-string".into());
                form.push(format!("{key}={value}").into());
            }
            form.push("-F".into());
            form.push(format!("file=@{};type=application/octet-stream", big.display()).into());
            form.push(url.into());
            let runs = alternate(options.runs, |ours_first| {
                let run = || ours("webflow", &args![sink.origin, big]);
                let floor = || {
                    let hash = measure("md5sum", &args![big]);
                    let post = measure("curl", &form);
                    Sample {
                        wall: hash.wall + post.wall,
                        cpu: hash.cpu + post.cpu,
                        rss_kib: hash.rss_kib.max(post.rss_kib),
                        switches: hash.switches + post.switches,
                        stdout: hash.stdout,
                    }
                };
                let (a, b) = if ours_first {
                    let a = run();
                    (a, floor())
                } else {
                    let b = floor();
                    (run(), b)
                };
                assert_eq!(
                    a.stdout.split_whitespace().next(),
                    b.stdout.split_whitespace().next(),
                    "the fileHash differs from md5sum's"
                );
                eprintln!(
                    "webflow: ours {:.3} s {} KiB, md5sum + curl {:.3} s",
                    secs(a.wall),
                    a.rss_kib,
                    secs(b.wall)
                );
                (a, b)
            });
            report.push(Row::time(
                &section,
                "wall time vs `md5sum` + `curl -F` (ours / their sum)",
                &runs,
                Goal::AtMost(1.1),
            ));
            report.push(Row::cpu(
                &section,
                "CPU time vs `md5sum` + `curl -F`",
                &runs,
                None,
            ));
            report.push(Row::rss(
                &section,
                "peak RSS vs the larger of `md5sum`, `curl -F`",
                &runs,
                None,
            ));
        } else {
            report.push(Row::skipped(
                &section,
                "vs `md5sum` + `curl -F`",
                "md5sum or curl is not installed",
            ));
        }
    }
    if needs_big {
        std::fs::remove_file(&big).unwrap();
    }

    // 4. Downloads: `Client::download(..).to_path(..)` against `curl -o`, the same bytes
    // from the same sink to a file beside the benchmark's.
    if options.wants("download") {
        let section = format!("download of {label} to a file");
        if have_curl {
            let size = options.mib * 1024 * 1024;
            let url = format!("{}/download/{size}", sink.origin);
            let target = std::env::temp_dir().join(format!("assetkit-bench-download-{}", std::process::id()));
            let runs = alternate(options.runs, |ours_first| {
                let run = || ours("download", &args![sink.origin, url, target]);
                let floor = || measure("curl", &args!["-fsS", "-o", target, url]);
                let (a, b) = if ours_first {
                    let a = run();
                    (a, floor())
                } else {
                    let b = floor();
                    (run(), b)
                };
                assert_eq!(
                    std::fs::metadata(&target).unwrap().len(),
                    size,
                    "the whole file landed"
                );
                eprintln!(
                    "download: ours {:.3} s {} KiB, curl {:.3} s {} KiB",
                    secs(a.wall),
                    a.rss_kib,
                    secs(b.wall),
                    b.rss_kib
                );
                (a, b)
            });
            let _ = std::fs::remove_file(&target);
            report.push(Row::time(
                &section,
                "wall time vs `curl -o`",
                &runs,
                Goal::AtMost(1.1),
            ));
            report.push(Row::cpu(&section, "CPU time vs `curl -o`", &runs, None));
            report.push(Row::rss(&section, "peak RSS vs `curl -o`", &runs, None));
        } else {
            report.push(Row::skipped(&section, "vs `curl -o`", "curl is not installed"));
        }
    }

    // 5. Small requests: the core client against bare reqwest.
    if options.wants("small") {
        let section = format!(
            "{} small JSON POSTs at concurrency {}",
            options.requests, options.concurrency
        );
        let (count, concurrency) = (options.requests.to_string(), options.concurrency.to_string());
        // A run is a fraction of a second here: three times the runs for a steady median.
        let runs = alternate(options.runs * 3, |ours_first| {
            let side = |which: &str| {
                let mut sample = ours("small", &args![sink.origin, count, concurrency, which]);
                // The requests alone, without the process and client set-up.
                sample.wall = Duration::from_nanos(sample.stdout.trim().parse().unwrap());
                sample
            };
            let (a, b) = if ours_first {
                let a = side("ours");
                (a, side("reqwest"))
            } else {
                let b = side("reqwest");
                (side("ours"), b)
            };
            eprintln!(
                "small: ours {:.3} s {} switches, reqwest {:.3} s {} switches",
                secs(a.wall),
                a.switches,
                secs(b.wall),
                b.switches
            );
            (a, b)
        });
        report.push(Row::speed(
            &section,
            "throughput vs bare reqwest (their time / ours)",
            &runs,
            Some(Goal::AtLeast(0.97)),
        ));
        report.push(Row::cpu(
            &section,
            "CPU time vs bare reqwest (ours / theirs)",
            &runs,
            None,
        ));
        report.push(Row::switches(
            &section,
            "context switches vs bare reqwest (ours / theirs, whole process)",
            &runs,
        ));
        // The same requests with both clients in one process, taking turns round by
        // round: no process start-up, no page cache or scheduler luck of a fresh
        // process, so the per-request difference shows with less noise. Many rounds,
        // since a median moves by a few percent from one sitting to the next here; and
        // bare reqwest runs twice a round, its ratio to itself showing that noise.
        let rounds = options.runs * 12;
        let both = ours(
            "small-ab",
            &args![sink.origin, count, concurrency, rounds.to_string()],
        );
        let side = |wall: u64| Sample {
            wall: Duration::from_nanos(wall),
            cpu: Duration::ZERO,
            rss_kib: 0,
            switches: 0,
            stdout: String::new(),
        };
        let (pairs, control): (Pairs, Pairs) = both
            .stdout
            .lines()
            .map(|line| {
                let nanos: Vec<u64> = line.split_whitespace().map(|n| n.parse().unwrap()).collect();
                let (ours, bare, again) = (side(nanos[0]), side(nanos[1]), side(nanos[2]));
                ((ours, bare.clone()), (again, bare))
            })
            .unzip();
        for ((a, b), (c, _)) in pairs.iter().zip(&control) {
            eprintln!(
                "small, one process: ours {:.1} us, reqwest {:.1} us, reqwest again {:.1} us a request",
                secs(a.wall) * 1e6 / options.requests as f64,
                secs(b.wall) * 1e6 / options.requests as f64,
                secs(c.wall) * 1e6 / options.requests as f64
            );
        }
        report.push(Row::speed(
            &section,
            "throughput vs bare reqwest, both in one process (their time / ours)",
            &pairs,
            Some(Goal::AtLeast(0.97)),
        ));
        report.push(Row::speed(
            &section,
            "control: bare reqwest vs itself, in the same rounds (the noise)",
            &control,
            None,
        ));
    }

    // 6. A batch: hashing and sending of different files overlap.
    if options.wants("batch") {
        let section = format!(
            "Webflow batch of {} files of {} MiB at concurrency 2",
            options.batch_files, options.batch_mib
        );
        let files: Vec<PathBuf> = (0..options.batch_files)
            .map(|i| {
                let path = dir.join(format!("batch-{i:03}.bin"));
                write_file(&path, options.batch_mib, (i % 200) as u8);
                path
            })
            .collect();
        let file_args: Vec<OsString> = files.iter().map(OsString::from).collect();
        let with = |mut head: Vec<OsString>| {
            head.extend_from_slice(&file_args);
            head
        };
        let runs = alternate(options.runs, |ours_first| {
            let batch = || ours("webflow-batch", &with(args![sink.origin, "2"]));
            let totals = || {
                let hash = ours("hash", &file_args);
                let send = ours("webflow-send", &with(args![sink.origin]));
                (hash, send)
            };
            let (a, (hash, send)) = if ours_first {
                let a = batch();
                (a, totals())
            } else {
                let t = totals();
                (batch(), t)
            };
            eprintln!(
                "batch: {:.3} s; hashing alone {:.3} s, sending alone {:.3} s",
                secs(a.wall),
                secs(hash.wall),
                secs(send.wall)
            );
            (a, hash, send)
        });
        report.push(Row::batch(&section, &runs));
        for file in files {
            std::fs::remove_file(file).unwrap();
        }
    }

    std::fs::remove_dir_all(&dir).unwrap();
    let markdown = report.markdown();
    println!("{markdown}");
    if let Some(path) = &options.markdown {
        report::write_into(path, &markdown);
        eprintln!("wrote the measured section of {}", path.display());
    }
}

impl Stat {
    fn of(values: &[f64]) -> Stat {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            f64::midpoint(sorted[n / 2 - 1], sorted[n / 2])
        };
        Stat {
            min: sorted[0],
            median,
            max: sorted[n - 1],
        }
    }
}
