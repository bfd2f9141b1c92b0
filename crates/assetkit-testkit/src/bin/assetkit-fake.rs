//! `assetkit-fake <vendor> [--port N] [faults...]`: one of the testkit's fakes as a
//! server that outlives any one command, for scripts, other languages and the `assetkit`
//! CLI itself.
//!
//! The first line on stdout is JSON: `{"vendor", "base_url", "env"}`, where `env` holds
//! every variable the CLI reads for that vendor (base URLs, the credentials the fake
//! accepts, ids), so `env $(...) assetkit ...` works against it as it is. State lasts for
//! the process's life; it stops on Ctrl-C or SIGTERM.

use std::collections::BTreeMap;
use std::io::Write;
use std::time::Duration;

use assetkit_testkit::{
    DEMO_PROJECT, ENKLU_APP, ENKLU_EMAIL, ENKLU_PASSWORD, FakeEnklu, FakeMediaPocket, FakeRoblox, FakeServer,
    FakeUnicat, FakeWebflow, Fault, RateWindow, UNICAT_API_KEY, UNICAT_PROJECT,
};
use clap::{Parser, ValueEnum};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Vendor {
    Roblox,
    Webflow,
    Enklu,
    Unicat,
    Mediapocket,
}

/// Runs one of assetkit's fake vendor servers on loopback until Ctrl-C.
#[derive(Debug, Parser)]
#[command(name = "assetkit-fake", version)]
struct Args {
    /// The vendor to fake.
    #[arg(value_enum)]
    vendor: Vendor,
    /// The loopback port (default: any free port; the first line says which).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Answer the next requests with this status (a JSON error body).
    #[arg(long, value_name = "STATUS")]
    fail: Option<u16>,
    /// How many requests `--fail` and `--slow-ms` apply to (default: every one).
    #[arg(long, value_name = "N")]
    times: Option<usize>,
    /// Apply `--fail` and `--slow-ms` only to paths containing this.
    #[arg(long, value_name = "FRAGMENT")]
    on_path: Option<String>,
    /// Delay every answer by this many milliseconds.
    #[arg(long, value_name = "MS")]
    slow_ms: Option<u64>,
    /// A fixed-window rate limit: N requests per SECONDS (`10/5`); past it, 429 with
    /// Retry-After.
    #[arg(long, value_name = "N/SECONDS")]
    rate_limit: Option<String>,
    /// With `--rate-limit`, also send X-RateLimit-Reset (as Roblox does).
    #[arg(long)]
    reset_header: bool,
    /// Roblox: how many polls an operation answers "not done" (default 2).
    #[arg(long, value_name = "N")]
    polls_until_done: Option<u32>,
}

/// A running fake, kept alive, and what the first line says about it.
struct Running {
    _fake: Box<dyn std::any::Any>,
    base_url: String,
    env: BTreeMap<&'static str, String>,
}

fn fault(args: &Args, fault: Fault) -> Fault {
    let fault = fault.times(args.times.unwrap_or(usize::MAX));
    match &args.on_path {
        Some(fragment) => fault.on_path(fragment.clone()),
        None => fault,
    }
}

fn configure(server: &FakeServer, args: &Args) -> Result<(), String> {
    if let Some(status) = args.fail {
        server.inject(fault(args, Fault::status(status)));
    }
    if let Some(ms) = args.slow_ms {
        server.inject(fault(args, Fault::slow(Duration::from_millis(ms))));
    }
    if let Some(rule) = &args.rate_limit {
        let (limit, seconds) = rule
            .split_once('/')
            .and_then(|(n, s)| Some((n.trim().parse::<u64>().ok()?, s.trim().parse::<f64>().ok()?)))
            .filter(|(n, s)| *n > 0 && s.is_finite() && *s > 0.0)
            .ok_or_else(|| format!("--rate-limit {rule:?} is not N/SECONDS (like 10/5)"))?;
        let mut window = RateWindow::new(limit, Duration::from_secs_f64(seconds)).except_path("/s3/");
        if args.reset_header {
            window = window.with_reset_header();
        }
        server.rate_limit(window);
    }
    Ok(())
}

async fn start(args: &Args) -> Result<Running, String> {
    let port = args.port;
    let env = |pairs: &[(&'static str, String)]| pairs.iter().cloned().collect::<BTreeMap<_, _>>();
    Ok(match args.vendor {
        Vendor::Roblox => {
            let fake = FakeRoblox::start_on(port).await;
            if let Some(polls) = args.polls_until_done {
                fake.set_polls_until_done(polls);
            }
            configure(&fake, args)?;
            let base_url = fake.base_url();
            let env = env(&[
                ("ROBLOX_BASE_URL", base_url.clone()),
                ("ROBLOX_API_KEY", "fake-key".to_owned()),
                ("ROBLOX_CREATOR_USER_ID", "1".to_owned()),
            ]);
            Running {
                _fake: Box::new(fake),
                base_url,
                env,
            }
        }
        Vendor::Webflow => {
            let fake = FakeWebflow::start_on(port).await;
            configure(&fake, args)?;
            let base_url = fake.base_url();
            let env = env(&[
                ("WEBFLOW_BASE_URL", base_url.clone()),
                ("WEBFLOW_TOKEN", "fake-token".to_owned()),
                ("WEBFLOW_SITE_ID", "580e63e98c9a982ac9b8b741".to_owned()),
            ]);
            Running {
                _fake: Box::new(fake),
                base_url,
                env,
            }
        }
        Vendor::Enklu => {
            let fake = FakeEnklu::start_on(port).await;
            configure(&fake, args)?;
            let base_url = fake.assets_url();
            let env = env(&[
                ("ENKLU_AUTH_URL", fake.auth_url()),
                ("ENKLU_ASSETS_URL", base_url.clone()),
                ("ENKLU_EMAIL", ENKLU_EMAIL.to_owned()),
                ("ENKLU_PASSWORD", ENKLU_PASSWORD.to_owned()),
                ("ENKLU_APP_ID", ENKLU_APP.to_owned()),
            ]);
            Running {
                _fake: Box::new(fake),
                base_url,
                env,
            }
        }
        Vendor::Unicat => {
            let fake = FakeUnicat::start_on(port).await;
            configure(&fake, args)?;
            let base_url = fake.base_url();
            let env = env(&[
                ("UNICAT_BASE_URL", base_url.clone()),
                ("UNICAT_API_KEY", UNICAT_API_KEY.to_owned()),
                ("UNICAT_PROJECT", UNICAT_PROJECT.to_owned()),
            ]);
            Running {
                _fake: Box::new(fake),
                base_url,
                env,
            }
        }
        Vendor::Mediapocket => {
            let fake = FakeMediaPocket::start_on(port).await;
            configure(&fake, args)?;
            let base_url = fake.base_url();
            let env = env(&[
                ("MEDIAPOCKET_BASE_URL", base_url.clone()),
                ("MEDIAPOCKET_API_KEY", "fake-key".to_owned()),
                ("MEDIAPOCKET_PROJECT", DEMO_PROJECT.to_owned()),
            ]);
            Running {
                _fake: Box::new(fake),
                base_url,
                env,
            }
        }
    })
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let running = match start(&args).await {
        Ok(running) => running,
        Err(message) => {
            eprintln!("error: {message}");
            return std::process::ExitCode::from(2);
        }
    };
    let vendor = format!("{:?}", args.vendor).to_lowercase();
    let line = serde_json::json!({"vendor": vendor, "base_url": running.base_url, "env": running.env});
    let mut stdout = std::io::stdout();
    if writeln!(stdout, "{line}").and_then(|()| stdout.flush()).is_err() {
        return std::process::ExitCode::FAILURE;
    }
    eprintln!(
        "assetkit-fake: {vendor} at {} (Ctrl-C stops it)",
        running.base_url
    );
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
    std::process::ExitCode::SUCCESS
}
