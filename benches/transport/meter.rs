//! Measuring one process: wall time, user and system CPU, and peak resident memory.
//!
//! Every measured command (ours and the reference tools) runs under a fresh copy of this
//! benchmark started as `__meter CMD ARGS...`, which spawns the command, waits for it and
//! reads `getrusage(RUSAGE_CHILDREN)`: with exactly one child, that is the command's own
//! CPU time, peak RSS and context switches, with no sampling. The meter prints one `METER` line, then the
//! command's standard output.

use std::ffi::OsString;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::resource::{UsageWho, getrusage};
use nix::sys::time::TimeValLike;

/// What one process cost.
#[derive(Debug, Clone)]
pub struct Sample {
    /// From spawn to exit, as seen by the meter.
    pub wall: Duration,
    /// User plus system CPU time.
    pub cpu: Duration,
    /// Peak resident set size, in KiB.
    pub rss_kib: u64,
    /// Context switches, voluntary (waiting for something) plus involuntary.
    pub switches: u64,
    /// What the command printed.
    pub stdout: String,
}

/// The meter's side: runs `command` and reports (never returns).
pub fn run(command: &[String]) -> ! {
    let started = Instant::now();
    let output = Command::new(&command[0])
        .args(&command[1..])
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", command[0]));
    let wall = started.elapsed();
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).expect("getrusage");
    let cpu_us = usage.user_time().num_microseconds() + usage.system_time().num_microseconds();
    println!(
        "METER {} {} {} {} {}",
        wall.as_nanos(),
        cpu_us,
        usage.max_rss(),
        output.status.code().unwrap_or(-1),
        usage.voluntary_context_switches() + usage.involuntary_context_switches(),
    );
    print!("{}", String::from_utf8_lossy(&output.stdout));
    std::process::exit(0);
}

/// Runs `program args...` under a meter and returns what it cost. A command that fails
/// stops the benchmark: a failed run must never be counted as a fast one.
pub fn measure(program: impl Into<OsString>, args: &[OsString]) -> Sample {
    let program = program.into();
    let meter = std::env::current_exe().expect("the benchmark's own path");
    let output = Command::new(meter)
        .arg("__meter")
        .arg(&program)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .expect("run the meter");
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
    let fields: Vec<&str> = first.split_whitespace().collect();
    assert_eq!(fields.first(), Some(&"METER"), "meter output: {text}");
    let number = |i: usize| -> i64 { fields[i].parse().expect("a number from the meter") };
    assert_eq!(
        number(4),
        0,
        "{} {:?} failed; its output: {rest}",
        program.to_string_lossy(),
        args
    );
    Sample {
        wall: Duration::from_nanos(number(1) as u64),
        cpu: Duration::from_micros(number(2) as u64),
        rss_kib: number(3) as u64,
        switches: number(5) as u64,
        stdout: rest.to_owned(),
    }
}

/// Whether `tool` can be run here (`tool --version` succeeds).
pub fn available(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The first line `tool --version` prints.
pub fn version(tool: &str) -> String {
    Command::new(tool)
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .map(str::to_owned)
        })
        .unwrap_or_default()
}
