//! A deterministic fuzz harness for assetkit's parsers of what servers send: the
//! rate-limit headers and error bodies read by `assetkit-core`, and every public response
//! model of the vendors in `assetkit-assets`.
//!
//! [`run`] generates `inputs` inputs from a seed (the same seed always gives the same
//! inputs) and feeds each to every target inside [`std::panic::catch_unwind`]. Inputs mix
//! random bytes, the vendors' documented example answers (`corpus/*.json`), those examples
//! truncated, with bytes flipped, with values replaced by extreme ones or nested past
//! serde's recursion limit, and header values such as `18446744073709551615`, `1e19`,
//! `NaN` or HTTP dates from 1900 to 9999. Only panics count: a decoding error is the
//! correct answer to most inputs.
//!
//! ```no_run
//! let report = assetkit_fuzz::run(10_000, 1);
//! println!("{report}");
//! assert_eq!(report.panics, 0);
//! ```

use std::backtrace::Backtrace;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::panic::{self, AssertUnwindSafe, PanicHookInfo};
use std::sync::{Arc, Mutex, PoisonError};

mod generate;
mod seeds;
mod targets;

use generate::Input;
use targets::{Target, Uses};

/// How many distinct panic sites a report keeps in detail.
const MAX_SITES: usize = 16;
/// How many panicking inputs a report keeps per site.
const INPUTS_PER_SITE: usize = 3;
/// How many bytes of a body or header value a report shows.
const SHOWN_BYTES: usize = 400;

/// What a run found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Report {
    /// The seed of the run.
    pub seed: u64,
    /// Inputs generated and fed to every target.
    pub inputs: u64,
    /// Target runs that panicked (one input may panic in several targets).
    pub panics: u64,
    /// Panics by target name.
    pub by_target: BTreeMap<&'static str, u64>,
    /// The distinct places that panicked, by target and panic location, in the order
    /// found, each with its first few inputs (at most 16 sites are kept).
    pub sites: Vec<PanicSite>,
}

/// One place that panicked, for one target.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PanicSite {
    /// The target that panicked.
    pub target: &'static str,
    /// Where the panic was raised (`file:line:column`).
    pub location: String,
    /// The panic message of the first panic here.
    pub message: String,
    /// The innermost assetkit frame of the first panic's backtrace, when one could be
    /// read (the location may be inside `std`, as for an overflowing `SystemTime` sum).
    pub via: Option<String>,
    /// The first panicking input here, shrunk: headers, pieces of the body and of the
    /// text left out for as long as the panic stayed at this location.
    pub smallest: String,
    /// Panics here in all.
    pub count: u64,
    /// The first panicking inputs (at most three).
    pub inputs: Vec<PanickingInput>,
}

/// One input that panicked.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PanickingInput {
    /// Its index in the run: [`describe`] with the run's seed shows it in full.
    pub index: u64,
    /// The parts of it the target reads, printable (bytes escaped, long ones cut).
    pub input: String,
}

impl Report {
    /// The closing line: `N inputs, K panics`.
    pub fn summary(&self) -> String {
        format!("{} inputs, {} panics", self.inputs, self.panics)
    }

    fn record(&mut self, target: &Target, index: u64, input: &Input, caught: Caught) {
        self.panics += 1;
        *self.by_target.entry(target.name).or_default() += 1;
        let site = match self
            .sites
            .iter_mut()
            .position(|s| s.target == target.name && s.location == caught.location)
        {
            Some(at) => &mut self.sites[at],
            None if self.sites.len() < MAX_SITES => {
                let smallest = show(target.uses, &shrink(target, input, &caught.location), SHOWN_BYTES);
                self.sites.push(PanicSite {
                    target: target.name,
                    location: caught.location,
                    message: caught.message,
                    via: caught.via,
                    smallest,
                    count: 0,
                    inputs: Vec::new(),
                });
                let last = self.sites.len() - 1;
                &mut self.sites[last]
            }
            None => return,
        };
        site.count += 1;
        if site.inputs.len() < INPUTS_PER_SITE {
            site.inputs.push(PanickingInput {
                index,
                input: show(target.uses, input, SHOWN_BYTES),
            });
        }
    }
}

/// The sites with their inputs, the panics by target, then [`Report::summary`] as the
/// last line.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for site in &self.sites {
            writeln!(
                f,
                "PANIC in {} ({} times) at {}: {}",
                site.target, site.count, site.location, site.message
            )?;
            if let Some(via) = &site.via {
                writeln!(f, "  via {via}")?;
            }
            writeln!(f, "  smallest: {}", site.smallest)?;
            for input in &site.inputs {
                writeln!(
                    f,
                    "  input #{} (seed {}): {}",
                    input.index, self.seed, input.input
                )?;
            }
        }
        if !self.by_target.is_empty() {
            let counts: Vec<String> = self
                .by_target
                .iter()
                .map(|(target, count)| format!("{target}: {count}"))
                .collect();
            writeln!(f, "panics by target: {}", counts.join(", "))?;
        }
        write!(f, "{}", self.summary())
    }
}

/// Runs `inputs` inputs generated from `seed` through every target.
///
/// Runs are serialised (the panic hook is global): while one runs, panics on its thread
/// are recorded instead of printed, and panics on other threads still reach the hook that
/// was installed before, which is put back afterwards.
pub fn run(inputs: u64, seed: u64) -> Report {
    run_with_progress(inputs, seed, |_| {})
}

/// [`run`], calling `progress` with the report so far after every tenth of the inputs.
pub fn run_with_progress(inputs: u64, seed: u64, progress: impl FnMut(&Report)) -> Report {
    run_targets(targets::TARGETS, inputs, seed, progress)
}

/// The names of the targets, in the order each input visits them.
pub fn target_names() -> Vec<&'static str> {
    targets::TARGETS.iter().map(|t| t.name).collect()
}

/// The input number `index` of a run seeded with `seed`, in full (nothing cut).
pub fn describe(seed: u64, index: u64) -> String {
    let input = generate::input(seed, index, &seeds::load());
    show(Uses::Answer, &input, usize::MAX)
}

static RUNNING: Mutex<()> = Mutex::new(());

fn run_targets(targets: &[Target], inputs: u64, seed: u64, mut progress: impl FnMut(&Report)) -> Report {
    let _one_at_a_time = RUNNING.lock().unwrap_or_else(PoisonError::into_inner);
    let seeds = seeds::load();
    let step = (inputs / 10).max(1);
    let mut report = Report {
        seed,
        ..Report::default()
    };
    let quiet = QuietHook::install();
    for index in 0..inputs {
        let input = generate::input(seed, index, &seeds);
        for target in targets {
            if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(|| (target.run)(&input))) {
                let caught = LAST.with(RefCell::take).unwrap_or_else(|| Caught {
                    location: "unknown".to_owned(),
                    message: payload_text(payload.as_ref()),
                    via: None,
                });
                report.record(target, index, &input, caught);
            }
        }
        report.inputs = index + 1;
        if report.inputs.is_multiple_of(step) || report.inputs == inputs {
            // The caller's code: its panics are its own, not a finding.
            CAPTURING.with(|c| c.set(false));
            progress(&report);
            CAPTURING.with(|c| c.set(true));
        }
    }
    drop(quiet);
    report
}

/// The parts of `input` that a target using `uses` reads.
fn show(uses: Uses, input: &Input, max: usize) -> String {
    let headers = || {
        format!(
            "now={}, headers={}",
            generate::describe_now(input.now),
            generate::describe_headers(&input.header_list, max)
        )
    };
    let body = || format!("body={}", generate::escape(&input.body, max));
    let text = || format!("text={}", generate::escape(input.text.as_bytes(), max));
    match uses {
        Uses::Headers => headers(),
        Uses::Body => body(),
        Uses::Text => text(),
        Uses::Answer => format!(
            "vendor={}, status={}, rate_limit={:?}, {}, {}, {}",
            input.vendor.vendor(),
            input.status,
            input.rate_limit,
            headers(),
            text(),
            body()
        ),
    }
}

/// A smaller input that still panics at `location` in `target`: headers left out one at
/// a time, then pieces of the body and the text cut, for as long as the panic stays there
/// (at most 2000 tries).
fn shrink(target: &Target, input: &Input, location: &str) -> Input {
    let panics_here = |candidate: &Input| {
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| (target.run)(candidate)));
        let caught = LAST.with(RefCell::take);
        outcome.is_err() && caught.is_some_and(|c| c.location == location)
    };
    let mut budget = 2_000_u32;
    let mut best = input.clone();
    if matches!(target.uses, Uses::Headers | Uses::Answer) {
        let base = best.clone();
        best.header_list = shrink_items(&base.header_list, &mut budget, |list| {
            let mut candidate = base.clone();
            candidate.header_list = list.to_vec();
            candidate.headers = generate::header_map(list);
            panics_here(&candidate)
        });
        best.headers = generate::header_map(&best.header_list);
    }
    if matches!(target.uses, Uses::Body | Uses::Answer) {
        let base = best.clone();
        best.body = shrink_items(&base.body, &mut budget, |body| {
            let mut candidate = base.clone();
            candidate.body = body.to_vec();
            panics_here(&candidate)
        });
    }
    if matches!(target.uses, Uses::Text | Uses::Answer) {
        let base = best.clone();
        let chars: Vec<char> = base.text.chars().collect();
        best.text = shrink_items(&chars, &mut budget, |text| {
            let mut candidate = base.clone();
            candidate.text = text.iter().collect();
            panics_here(&candidate)
        })
        .into_iter()
        .collect();
    }
    best
}

/// Cuts pieces out of `items`, halving the piece size down to one item, keeping every
/// cut after which `still` holds.
fn shrink_items<T: Clone>(items: &[T], budget: &mut u32, mut still: impl FnMut(&[T]) -> bool) -> Vec<T> {
    let mut best = items.to_vec();
    let mut piece = best.len().div_ceil(2);
    while piece > 0 && *budget > 0 {
        let mut at = 0;
        while at < best.len() && *budget > 0 {
            *budget -= 1;
            let mut candidate = best.clone();
            candidate.drain(at..(at + piece).min(best.len()));
            if still(&candidate) {
                best = candidate;
            } else {
                at += piece;
            }
        }
        piece /= 2;
    }
    best
}

// ---------------------------------------------------------------------------------------
// The quiet panic hook

/// What the hook saw of a panic.
#[derive(Debug)]
struct Caught {
    location: String,
    message: String,
    via: Option<String>,
}

thread_local! {
    /// Whether panics on this thread are being recorded.
    static CAPTURING: Cell<bool> = const { Cell::new(false) };
    /// The last panic recorded on this thread.
    static LAST: RefCell<Option<Caught>> = const { RefCell::new(None) };
    /// Locations already seen on this thread (a backtrace is taken once per location).
    static SEEN: RefCell<BTreeSet<String>> = const { RefCell::new(BTreeSet::new()) };
}

type Hook = Box<dyn Fn(&PanicHookInfo<'_>) + Sync + Send + 'static>;

/// Replaces the panic hook while alive: panics on the installing thread are recorded
/// into `LAST`; any other thread's go to the previous hook, which is restored on drop.
struct QuietHook {
    previous: Option<Arc<Hook>>,
}

impl QuietHook {
    fn install() -> Self {
        let previous: Arc<Hook> = Arc::new(panic::take_hook());
        let forward = Arc::clone(&previous);
        panic::set_hook(Box::new(move |info| {
            if CAPTURING.try_with(Cell::get).unwrap_or(false) {
                record_panic(info);
            } else {
                forward(info);
            }
        }));
        CAPTURING.with(|c| c.set(true));
        SEEN.with(|seen| seen.borrow_mut().clear());
        Self {
            previous: Some(previous),
        }
    }
}

impl Drop for QuietHook {
    fn drop(&mut self) {
        CAPTURING.with(|c| c.set(false));
        // The hook cannot be changed while this thread panics; the forwarding hook stays.
        if std::thread::panicking() {
            return;
        }
        // Taking our hook drops its handle on the previous one.
        drop(panic::take_hook());
        if let Some(previous) = self.previous.take() {
            match Arc::try_unwrap(previous) {
                Ok(hook) => panic::set_hook(hook),
                Err(shared) => panic::set_hook(Box::new(move |info| shared(info))),
            }
        }
    }
}

fn record_panic(info: &PanicHookInfo<'_>) {
    let location = info
        .location()
        .map_or_else(|| "unknown".to_owned(), ToString::to_string);
    let first = SEEN
        .try_with(|seen| seen.borrow_mut().insert(location.clone()))
        .unwrap_or(false);
    let via = if first {
        assetkit_frame(&Backtrace::force_capture().to_string())
    } else {
        None
    };
    let caught = Caught {
        location,
        message: payload_text(info.payload()),
        via,
    };
    let _ = LAST.try_with(|last| *last.borrow_mut() = Some(caught));
}

fn payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(a panic payload that is not text)".to_owned())
}

/// The innermost frame of assetkit-core or assetkit-assets in a printed backtrace, with
/// its source line when the build has debug info.
fn assetkit_frame(backtrace: &str) -> Option<String> {
    let mut lines = backtrace.lines().map(str::trim).peekable();
    while let Some(line) = lines.next() {
        let Some((number, symbol)) = line.split_once(": ") else {
            continue;
        };
        if !number.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let bare = symbol.trim_start_matches('<');
        if !(bare.starts_with("assetkit_core::") || bare.starts_with("assetkit_assets::")) {
            continue;
        }
        let mut frame = symbol.to_owned();
        if let Some(at) = lines.peek().and_then(|next| next.strip_prefix("at ")) {
            frame.push_str(" at ");
            frame.push_str(at);
        }
        return Some(frame);
    }
    None
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    fn fine(_: &Input) {}

    fn fails_on_odd_status(input: &Input) {
        assert!(input.status.is_multiple_of(2), "odd status {}", input.status);
    }

    static OUTER_HOOK_CALLS: AtomicUsize = AtomicUsize::new(0);

    #[test]
    fn panics_are_caught_recorded_and_the_hook_restored() {
        let targets = [
            Target {
                name: "fine",
                uses: Uses::Body,
                run: fine,
            },
            Target {
                name: "odd",
                uses: Uses::Answer,
                run: fails_on_odd_status,
            },
        ];
        // A hook of our own stands in for whatever the caller had installed.
        let original = panic::take_hook();
        panic::set_hook(Box::new(|_| {
            OUTER_HOOK_CALLS.fetch_add(1, Ordering::SeqCst);
        }));
        let report = run_targets(&targets, 200, 3, |_| {});
        let again = run_targets(&targets, 200, 3, |_| {});
        let during = OUTER_HOOK_CALLS.load(Ordering::SeqCst);
        let _ = panic::catch_unwind(|| panic!("after the runs"));
        let after = OUTER_HOOK_CALLS.load(Ordering::SeqCst);
        panic::set_hook(original);

        // The runs' panics stayed quiet; a later panic reached the hook put back.
        assert_eq!((during, after), (0, 1));
        assert_eq!(report.inputs, 200);
        assert!(report.panics > 0 && report.panics < 200, "{report}");
        assert_eq!(report.by_target.get("odd"), Some(&report.panics));
        assert_eq!(report.sites.len(), 1);
        let site = &report.sites[0];
        assert!(site.location.contains("lib.rs"), "{}", site.location);
        assert!(site.message.starts_with("odd status"), "{}", site.message);
        assert_eq!(site.inputs.len(), INPUTS_PER_SITE);
        // Only the status matters to this target: shrinking leaves no header, body or text.
        assert!(site.smallest.contains("headers=[]"), "{}", site.smallest);
        assert!(site.smallest.contains("body=b\"\""), "{}", site.smallest);
        assert!(report.to_string().ends_with(&report.summary()));
        // Deterministic: the same seed finds the same panics.
        assert_eq!(again, report);
    }

    #[test]
    fn frames_are_read_from_a_backtrace() {
        let trace = "   0: std::panicking::begin_panic\n   7: core::option::expect_failed\n   \
                     8: assetkit_core::ratelimit::RateLimit::from_headers::{{closure}}\n             \
                     at ./crates/assetkit-core/src/ratelimit.rs:44:26\n   9: assetkit_fuzz::x\n";
        assert_eq!(
            assetkit_frame(trace).as_deref(),
            Some(
                "assetkit_core::ratelimit::RateLimit::from_headers::{{closure}} at \
                 ./crates/assetkit-core/src/ratelimit.rs:44:26"
            )
        );
        assert_eq!(assetkit_frame("   0: main\n"), None);
    }

    #[test]
    fn a_description_is_complete_and_stable() {
        let text = describe(5, 17);
        assert_eq!(text, describe(5, 17));
        assert!(text.starts_with("vendor="), "{text}");
        assert!(!text.contains("bytes in all"));
    }
}
