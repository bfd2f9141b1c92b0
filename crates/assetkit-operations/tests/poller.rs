//! The poller under virtual time: exact waits, transient failures, deadlines, streams.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use assetkit_core::time::{FixedRandom, VirtualTime};
use assetkit_core::{ApiError, Error, Vendor};
use assetkit_operations::{Pending, PollPolicy, PollState, Poller, operation_failed};
use futures::StreamExt;

fn api_error(status: u16, retry_after: Option<u64>) -> Error {
    let mut error = ApiError::with_message(Vendor::new("roblox"), status, "try later");
    error.rate_limit.retry_after = retry_after.map(Duration::from_secs);
    Error::from_api(error)
}

/// A poller whose answers come from `script`, one per poll; past its end, `Done(polls)`.
fn scripted(time: &VirtualTime, script: Vec<Result<PollState<u32>, Error>>) -> (Poller<u32>, Arc<AtomicU32>) {
    let polls = Arc::new(AtomicU32::new(0));
    let counter = polls.clone();
    let script = Arc::new(std::sync::Mutex::new(script.into_iter()));
    let poller = Poller::new("operations/abc", move || {
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        let next = script.lock().unwrap().next();
        Box::pin(async move { next.unwrap_or(Ok(PollState::Done(n))) })
    })
    .policy(PollPolicy::default().with_jitter(0.0))
    .sleeper(Arc::new(time.clone()))
    .clock(Arc::new(time.clone()));
    (poller, polls)
}

fn secs(list: &[u64]) -> Vec<Duration> {
    list.iter().copied().map(Duration::from_secs).collect()
}

#[tokio::test]
async fn done_on_the_fifth_poll_with_doubling_waits() {
    let time = VirtualTime::new();
    let pending = (0..4).map(|_| Ok(PollState::pending())).collect();
    let (poller, polls) = scripted(&time, pending);
    assert_eq!(poller.until_done().await.unwrap(), 5);
    assert_eq!(polls.load(Ordering::SeqCst), 5);
    assert_eq!(time.sleeps(), secs(&[1, 2, 4, 8, 16]));
}

#[tokio::test]
async fn waits_are_capped_at_thirty_seconds() {
    let time = VirtualTime::new();
    let pending = (0..7).map(|_| Ok(PollState::pending())).collect();
    let (poller, _) = scripted(&time, pending);
    poller.until_done().await.unwrap();
    assert_eq!(time.sleeps(), secs(&[1, 2, 4, 8, 16, 30, 30, 30]));
}

#[tokio::test]
async fn transient_errors_keep_polling_and_honour_retry_after() {
    let time = VirtualTime::new();
    let script = vec![
        Ok(PollState::pending()),
        Err(api_error(429, Some(10))),
        Err(api_error(503, None)),
        Ok(PollState::Pending(
            Pending::with_status("processing").retry_after(Some(Duration::from_secs(20))),
        )),
    ];
    let (poller, polls) = scripted(&time, script);
    assert_eq!(poller.until_done().await.unwrap(), 5);
    assert_eq!(polls.load(Ordering::SeqCst), 5);
    // 1, 2, then max(hint 10, 4) = 10, then 8, then max(16, the pending answer's 20).
    assert_eq!(time.sleeps(), secs(&[1, 2, 10, 8, 20]));
}

#[tokio::test]
async fn a_permanent_error_stops_polling() {
    let time = VirtualTime::new();
    let script = vec![Ok(PollState::pending()), Err(api_error(404, None))];
    let (poller, polls) = scripted(&time, script);
    let err = poller.until_done().await.unwrap_err();
    assert!(matches!(err, Error::NotFound(_)));
    assert_eq!(polls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_failed_operation_is_operation_failed() {
    let time = VirtualTime::new();
    let failure = operation_failed(
        "operations/abc",
        Some("INVALID_ARGUMENT".into()),
        "The file is not a valid model.",
        vec![serde_json::json!({"reason": "bad mesh"})],
    );
    let (poller, _) = scripted(&time, vec![Ok(PollState::pending()), Err(failure)]);
    match poller.until_done().await.unwrap_err() {
        Error::OperationFailed {
            operation,
            code,
            message,
            details,
        } => {
            assert_eq!(operation, "operations/abc");
            assert_eq!(code.as_deref(), Some("INVALID_ARGUMENT"));
            assert_eq!(message, "The file is not a valid model.");
            assert_eq!(details.len(), 1);
        }
        other => panic!("expected OperationFailed, got {other:?}"),
    }
}

#[tokio::test]
async fn the_deadline_gives_poll_timeout_after_a_last_poll_at_the_deadline() {
    let time = VirtualTime::new();
    let pending = (0..100).map(|_| Ok(PollState::pending())).collect();
    let (poller, polls) = scripted(&time, pending);
    let poller = poller.policy(
        PollPolicy::default()
            .with_jitter(0.0)
            .with_deadline(Some(Duration::from_secs(20))),
    );
    let err = poller.until_done().await.unwrap_err();
    assert!(
        matches!(err, Error::PollTimeout { waited, .. } if waited == Duration::from_secs(20)),
        "{err:?}"
    );
    // 1 + 2 + 4 + 8 = 15, then the last wait is cut to the 5 s left.
    assert_eq!(time.sleeps(), secs(&[1, 2, 4, 8, 5]));
    assert_eq!(polls.load(Ordering::SeqCst), 5);
}

#[tokio::test]
async fn jitter_spreads_waits_by_twenty_percent() {
    let time = VirtualTime::new();
    let (poller, _) = scripted(&time, vec![Ok(PollState::pending())]);
    let poller = poller
        .policy(PollPolicy::default())
        .random(Arc::new(FixedRandom(0.0)));
    poller.until_done().await.unwrap();
    assert_eq!(
        time.sleeps(),
        vec![Duration::from_millis(800), Duration::from_millis(1600)]
    );
}

#[tokio::test]
async fn the_stream_yields_every_state_then_ends() {
    let time = VirtualTime::new();
    let script = vec![
        Ok(PollState::Pending(Pending::with_status("processing"))),
        Ok(PollState::pending()),
    ];
    let (poller, _) = scripted(&time, script);
    let states: Vec<_> = poller.into_stream().collect().await;
    assert_eq!(states.len(), 3);
    assert_eq!(
        states[0].as_ref().unwrap(),
        &PollState::Pending(Pending::with_status("processing"))
    );
    assert!(matches!(states[2], Ok(PollState::Done(3))));
}

#[tokio::test]
async fn poll_once_does_not_wait_and_a_done_poller_answers_without_asking_again() {
    let time = VirtualTime::new();
    let (mut poller, calls) = scripted(&time, vec![Ok(PollState::pending())]);
    assert!(!poller.poll().await.unwrap().is_done());
    assert!(matches!(poller.poll().await.unwrap(), PollState::Done(2)));
    assert!(time.sleeps().is_empty());
    assert_eq!(poller.polls(), 2);
    // Done: polling again answers the result without calling the vendor.
    assert!(matches!(poller.poll().await.unwrap(), PollState::Done(2)));
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(poller.until_done().await.unwrap(), 2);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn the_stream_shows_transient_failures_and_goes_on() {
    let time = VirtualTime::new();
    let script = vec![
        Err(api_error(503, Some(3))),
        Ok(PollState::pending()),
        Err(api_error(429, None)),
    ];
    let (poller, _) = scripted(&time, script);
    let items: Vec<_> = poller.into_stream().collect().await;
    assert_eq!(items.len(), 4, "{items:?}");
    assert!(matches!(&items[0], Err(e) if e.is_retryable() && e.status() == Some(503)));
    assert!(matches!(items[1], Ok(PollState::Pending(_))));
    assert!(matches!(&items[2], Err(e) if e.status() == Some(429)));
    assert!(matches!(items[3], Ok(PollState::Done(4))));
    // The 503's Retry-After was the floor of the next wait.
    assert_eq!(time.sleeps()[1], Duration::from_secs(3));
}

#[tokio::test]
async fn a_permanent_error_ends_the_stream() {
    let time = VirtualTime::new();
    let (poller, _) = scripted(&time, vec![Err(api_error(404, None)), Ok(PollState::pending())]);
    let items: Vec<_> = poller.into_stream().collect().await;
    assert_eq!(items.len(), 1);
    assert!(matches!(&items[0], Err(e) if e.status() == Some(404)));
}

// Real tokio timers under paused time: the runtime jumps the clock instead of waiting.
#[tokio::test(start_paused = true)]
async fn dropping_the_future_stops_polling() {
    let polls = Arc::new(AtomicU32::new(0));
    let counter = polls.clone();
    let poller: Poller<()> = Poller::new("op", move || {
        counter.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(PollState::pending()) })
    })
    .policy(
        PollPolicy::default()
            .with_jitter(0.0)
            .with_initial_delay(Duration::from_millis(5))
            .with_max_delay(Duration::from_millis(5)),
    );
    let outcome = tokio::time::timeout(Duration::from_millis(60), poller.until_done()).await;
    assert!(
        outcome.is_err(),
        "the poll loop should still be running when cancelled"
    );
    let after_cancel = polls.load(Ordering::SeqCst);
    assert!(after_cancel >= 1);
    tokio::time::sleep(Duration::from_millis(40)).await;
    assert_eq!(polls.load(Ordering::SeqCst), after_cancel);
}

#[tokio::test]
async fn a_jitter_set_out_of_range_never_panics() {
    for spread in [3.0, f64::NAN, -1.0] {
        let policy = PollPolicy::default().with_jitter(spread);
        // 3.0 acts as 1.0 (waits in [0, 2x)), NaN and negatives as no jitter.
        let time = VirtualTime::new();
        let (poller, _) = scripted(&time, vec![Ok(PollState::pending())]);
        let poller = poller.policy(policy).random(Arc::new(FixedRandom(0.0)));
        assert_eq!(poller.until_done().await.unwrap(), 2);
        let expected = if spread > 1.0 {
            secs(&[0, 0])
        } else {
            secs(&[1, 2])
        };
        assert_eq!(time.sleeps(), expected, "jitter {spread}");
    }
}

#[tokio::test]
async fn a_retry_after_of_a_billion_seconds_ends_polling_instead_of_sleeping() {
    let time = VirtualTime::new();
    let huge = Pending::default().retry_after(Some(Duration::from_secs(1_000_000_000)));
    let (poller, polls) = scripted(&time, vec![Ok(PollState::Pending(huge))]);
    let err = poller.until_done().await.unwrap_err();
    assert!(matches!(err, Error::PollTimeout { .. }), "{err:?}");
    assert_eq!(polls.load(Ordering::SeqCst), 1, "no second poll");
    assert!(
        time.sleeps().iter().all(|s| *s <= Duration::from_secs(60)),
        "{:?}",
        time.sleeps()
    );

    // The same hint on a transient error ends polling with that error.
    let time = VirtualTime::new();
    let (poller, polls) = scripted(&time, vec![Err(api_error(429, Some(1_000_000_000)))]);
    let err = poller.until_done().await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    assert_eq!(polls.load(Ordering::SeqCst), 1);
    assert!(
        time.sleeps().iter().all(|s| *s <= Duration::from_secs(60)),
        "{:?}",
        time.sleeps()
    );

    // A cap raised by the caller lets a long (but finite) hint be honoured.
    let time = VirtualTime::new();
    let long = Pending::default().retry_after(Some(Duration::from_secs(120)));
    let (poller, _) = scripted(&time, vec![Ok(PollState::Pending(long))]);
    assert_eq!(
        poller
            .max_hint(Duration::from_secs(300))
            .until_done()
            .await
            .unwrap(),
        2
    );
    assert!(
        time.sleeps().contains(&Duration::from_secs(120)),
        "{:?}",
        time.sleeps()
    );
}

#[tokio::test]
async fn the_default_policy_has_a_finite_deadline() {
    assert!(
        PollPolicy::default()
            .deadline()
            .is_some_and(|d| d <= Duration::from_secs(3600))
    );
}
