//! Runs the assetkit fuzz harness.
//!
//! ```text
//! cargo run --release -p assetkit-fuzz -- [INPUTS [SEED]]    # default 1000000 inputs, seed 1
//! cargo run --release -p assetkit-fuzz -- describe SEED INDEX # one input, in full
//! ```
//!
//! Progress goes to stderr; stdout gets the panics found, if any, and then, as its last
//! line, `N inputs, K panics`. The exit code is 1 when anything panicked, 2 on bad usage.

use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: assetkit-fuzz [INPUTS [SEED]] | assetkit-fuzz describe SEED INDEX";

fn number(text: Option<&String>, default: u64) -> Option<u64> {
    text.map_or(Some(default), |t| t.replace('_', "").parse().ok())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("describe") {
        let (Some(seed), Some(index)) = (number(args.get(1), 1), number(args.get(2), 0)) else {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        };
        println!("{}", assetkit_fuzz::describe(seed, index));
        return ExitCode::SUCCESS;
    }
    let (Some(inputs), Some(seed), None) = (
        number(args.first(), 1_000_000),
        number(args.get(1), 1),
        args.get(2),
    ) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let targets = assetkit_fuzz::target_names();
    eprintln!(
        "fuzzing {} targets with {inputs} inputs, seed {seed}",
        targets.len()
    );
    let started = Instant::now();
    let report = assetkit_fuzz::run_with_progress(inputs, seed, |so_far| {
        eprintln!(
            "  {:>3.0}%  {} inputs, {} panics, {:.1}s",
            100.0 * precision_loss_ok(so_far.inputs) / precision_loss_ok(inputs.max(1)),
            so_far.inputs,
            so_far.panics,
            started.elapsed().as_secs_f64()
        );
    });
    eprintln!("done in {:.1}s", started.elapsed().as_secs_f64());
    println!("{report}");
    if report.panics == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// A count as a float, for a percentage (exact up to 2^53, which no run reaches).
#[allow(clippy::cast_precision_loss)]
fn precision_loss_ok(n: u64) -> f64 {
    n as f64
}
