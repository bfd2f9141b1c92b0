//! The printed table: one row per comparison, each a ratio with its min, median and max
//! over the runs, the goal it is held to and whether the median meets it.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use crate::Options;
use crate::meter::{Sample, version};

/// The markers around the measured section of docs/BENCHMARKS.md.
const START: &str = "<!-- bench:start -->";
const END: &str = "<!-- bench:end -->";

/// Min, median and max of a ratio over the runs.
#[derive(Debug, Clone, Copy)]
pub struct Stat {
    pub min: f64,
    pub median: f64,
    pub max: f64,
}

/// What a ratio's median must be.
#[derive(Debug, Clone, Copy)]
pub enum Goal {
    AtMost(f64),
    AtLeast(f64),
}

impl Goal {
    fn met(self, value: f64) -> bool {
        match self {
            Goal::AtMost(limit) => value <= limit,
            Goal::AtLeast(limit) => value >= limit,
        }
    }

    fn text(self) -> String {
        match self {
            Goal::AtMost(limit) => format!("<= {limit:.2}x"),
            Goal::AtLeast(limit) => format!(">= {limit:.2}x"),
        }
    }
}

/// One line of the table.
#[derive(Debug)]
pub struct Row {
    section: String,
    what: String,
    ours: String,
    reference: String,
    ratio: Option<Stat>,
    goal: Option<Goal>,
    note: String,
}

fn median(values: impl Iterator<Item = f64>) -> f64 {
    let values: Vec<f64> = values.collect();
    Stat::of(&values).median
}

fn seconds(values: impl Iterator<Item = Duration>) -> String {
    format!("{:.3} s", median(values.map(|d| d.as_secs_f64())))
}

fn mib(values: impl Iterator<Item = u64>) -> String {
    format!("{:.1} MiB", median(values.map(|kib| kib as f64 / 1024.0)))
}

impl Row {
    fn new(
        section: &str,
        what: &str,
        (ours, reference): (String, String),
        ratios: &[f64],
        goal: Option<Goal>,
    ) -> Row {
        Row {
            section: section.to_owned(),
            what: what.to_owned(),
            ours,
            reference,
            ratio: Some(Stat::of(ratios)),
            goal,
            note: String::new(),
        }
    }

    /// Their wall time over ours: above 1 is faster than them.
    pub fn speed(section: &str, what: &str, runs: &[(Sample, Sample)], goal: Option<Goal>) -> Row {
        let ratios: Vec<f64> = runs
            .iter()
            .map(|(a, b)| b.wall.as_secs_f64() / a.wall.as_secs_f64())
            .collect();
        let columns = (
            seconds(runs.iter().map(|r| r.0.wall)),
            seconds(runs.iter().map(|r| r.1.wall)),
        );
        Row::new(section, what, columns, &ratios, goal)
    }

    /// Our wall time over theirs: below 1 is faster than them.
    pub fn time(section: &str, what: &str, runs: &[(Sample, Sample)], goal: Goal) -> Row {
        let ratios: Vec<f64> = runs
            .iter()
            .map(|(a, b)| a.wall.as_secs_f64() / b.wall.as_secs_f64())
            .collect();
        let columns = (
            seconds(runs.iter().map(|r| r.0.wall)),
            seconds(runs.iter().map(|r| r.1.wall)),
        );
        Row::new(section, what, columns, &ratios, Some(goal))
    }

    /// Our CPU time (user + sys) over theirs.
    pub fn cpu(section: &str, what: &str, runs: &[(Sample, Sample)], goal: Option<Goal>) -> Row {
        let ratios: Vec<f64> = runs
            .iter()
            .map(|(a, b)| a.cpu.as_secs_f64() / b.cpu.as_secs_f64())
            .collect();
        let columns = (
            seconds(runs.iter().map(|r| r.0.cpu)),
            seconds(runs.iter().map(|r| r.1.cpu)),
        );
        Row::new(section, what, columns, &ratios, goal)
    }

    /// Our peak RSS over theirs.
    pub fn rss(section: &str, what: &str, runs: &[(Sample, Sample)], goal: Option<Goal>) -> Row {
        let ratios: Vec<f64> = runs
            .iter()
            .map(|(a, b)| a.rss_kib as f64 / b.rss_kib as f64)
            .collect();
        let columns = (
            mib(runs.iter().map(|r| r.0.rss_kib)),
            mib(runs.iter().map(|r| r.1.rss_kib)),
        );
        Row::new(section, what, columns, &ratios, goal)
    }

    /// Our context switches over theirs (for the whole process: start-up included).
    pub fn switches(section: &str, what: &str, runs: &[(Sample, Sample)]) -> Row {
        let ratios: Vec<f64> = runs
            .iter()
            .map(|(a, b)| a.switches as f64 / b.switches.max(1) as f64)
            .collect();
        let count = |values: Vec<u64>| format!("{:.0}", median(values.into_iter().map(|v| v as f64)));
        let columns = (
            count(runs.iter().map(|r| r.0.switches).collect()),
            count(runs.iter().map(|r| r.1.switches).collect()),
        );
        Row::new(section, what, columns, &ratios, None)
    }

    /// Our peak RSS with the large file over the small one: memory is flat when about 1.
    pub fn flat(section: &str, what: &str, small: &[Sample], large: &[Sample]) -> Row {
        let ratios: Vec<f64> = small
            .iter()
            .zip(large)
            .map(|(s, l)| l.rss_kib as f64 / s.rss_kib as f64)
            .collect();
        let columns = (
            mib(large.iter().map(|s| s.rss_kib)),
            mib(small.iter().map(|s| s.rss_kib)),
        );
        let mut row = Row::new(section, what, columns, &ratios, Some(Goal::AtMost(1.1)));
        "memory flat: large file / small file".clone_into(&mut row.note);
        row
    }

    /// The batch's wall time over the longer of hashing alone and sending alone.
    pub fn batch(section: &str, runs: &[(Sample, Sample, Sample)]) -> Vec<Row> {
        let longer: Vec<Duration> = runs.iter().map(|(_, h, s)| h.wall.max(s.wall)).collect();
        let sum: Vec<Duration> = runs.iter().map(|(_, h, s)| h.wall + s.wall).collect();
        let ratio = |of: &[Duration]| -> Vec<f64> {
            runs.iter()
                .zip(of)
                .map(|((b, _, _), d)| b.wall.as_secs_f64() / d.as_secs_f64())
                .collect()
        };
        let batch = seconds(runs.iter().map(|r| r.0.wall));
        let mut first = Row::new(
            section,
            "wall time vs the longer of hashing alone and sending alone",
            (batch.clone(), seconds(longer.iter().copied())),
            &ratio(&longer),
            Some(Goal::AtMost(1.1)),
        );
        first.note = format!(
            "hashing alone {}, sending alone {} (one file at a time)",
            seconds(runs.iter().map(|r| r.1.wall)),
            seconds(runs.iter().map(|r| r.2.wall))
        );
        let second = Row::new(
            section,
            "wall time vs hashing + sending (no overlap)",
            (batch, seconds(sum.iter().copied())),
            &ratio(&sum),
            None,
        );
        vec![first, second]
    }

    pub fn skipped(section: &str, what: &str, why: &str) -> Row {
        Row {
            section: section.to_owned(),
            what: what.to_owned(),
            ours: "-".to_owned(),
            reference: "-".to_owned(),
            ratio: None,
            goal: None,
            note: format!("skipped: {why}"),
        }
    }
}

/// Every row of one benchmark run, and what it ran on.
#[derive(Debug)]
pub struct Report {
    header: Vec<String>,
    rows: Vec<Row>,
    /// The load average when the run started: other work on the machine shows here.
    load_at_start: String,
}

/// The 1, 5 and 15 minute load averages.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").map_or_else(
        |_| "unknown".to_owned(),
        |text| text.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
    )
}

impl Report {
    pub fn new(options: &Options) -> Report {
        let cpu = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|info| {
                info.lines().find_map(|l| {
                    l.strip_prefix("model name")
                        .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
                })
            })
            .unwrap_or_else(|| "unknown CPU".to_owned());
        let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .map_or_else(|_| "unknown".to_owned(), |k| k.trim().to_owned());
        let tool = |name: &str| {
            let v = version(name);
            if v.is_empty() {
                format!("{name}: not installed")
            } else {
                v
            }
        };
        Report {
            header: vec![
                format!(
                    "- machine: {cpu}, {cores} cores, Linux {kernel}, {} {}",
                    std::env::consts::ARCH,
                    std::env::consts::OS
                ),
                format!("- references: {}; {}", tool("curl"), tool("md5sum")),
                format!(
                    "- {} runs per comparison ({} for the small requests as processes, {} rounds of them in one process) after one warm-up run, ours and the reference alternating which goes first; large file {} MiB; batch {} x {} MiB; {} requests at concurrency {}",
                    options.runs,
                    options.runs * 3,
                    options.runs * 12,
                    options.mib,
                    options.batch_files,
                    options.batch_mib,
                    options.requests,
                    options.concurrency
                ),
            ],
            rows: Vec::new(),
            load_at_start: load_average(),
        }
    }

    pub fn push(&mut self, rows: impl Into<Rows>) {
        self.rows.extend(rows.into().0);
    }

    /// The table, in Markdown.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        for line in &self.header {
            out.push_str(line);
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "- load average (1, 5, 15 min) at the start: {}; at the end: {}",
            self.load_at_start,
            load_average()
        );
        out.push_str(
            "\n| comparison | measure | ours (median) | reference (median) | ratio min | ratio median | ratio max | goal | median meets it |\n|---|---|---|---|---|---|---|---|---|\n",
        );
        for row in &self.rows {
            let (min, median, max) = row.ratio.map_or_else(
                || ("-".to_owned(), "-".to_owned(), "-".to_owned()),
                |s| {
                    (
                        format!("{:.3}x", s.min),
                        format!("{:.3}x", s.median),
                        format!("{:.3}x", s.max),
                    )
                },
            );
            let goal = row.goal.map_or_else(|| "-".to_owned(), Goal::text);
            let met = match (row.goal, row.ratio) {
                (Some(goal), Some(stat)) if goal.met(stat.median) => "yes".to_owned(),
                (Some(_), Some(_)) => "**no**".to_owned(),
                _ => "-".to_owned(),
            };
            let what = if row.note.is_empty() {
                row.what.clone()
            } else {
                format!("{} ({})", row.what, row.note)
            };
            let _ = writeln!(
                out,
                "| {} | {what} | {} | {} | {min} | {median} | {max} | {goal} | {met} |",
                row.section, row.ours, row.reference
            );
        }
        out
    }
}

/// One row or several.
#[derive(Debug)]
pub struct Rows(Vec<Row>);

impl From<Row> for Rows {
    fn from(row: Row) -> Self {
        Rows(vec![row])
    }
}

impl From<Vec<Row>> for Rows {
    fn from(rows: Vec<Row>) -> Self {
        Rows(rows)
    }
}

/// Replaces what lies between the markers in `path` with `markdown`.
pub fn write_into(path: &Path, markdown: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let start = text
        .find(START)
        .unwrap_or_else(|| panic!("{} has no {START} marker", path.display()));
    let end = text
        .find(END)
        .unwrap_or_else(|| panic!("{} has no {END} marker", path.display()));
    assert!(start < end, "the markers of {} are out of order", path.display());
    let updated = format!("{}{START}\n{markdown}{}", &text[..start], &text[end..]);
    std::fs::write(path, updated).unwrap();
}
