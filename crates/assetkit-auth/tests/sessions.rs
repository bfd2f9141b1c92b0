//! JWT sessions under concurrency: one sign-in for many callers (and one shared failure),
//! renewals tagged by generation, and sign-ins ahead of a token's `exp`.
//!
//! Concurrency is forced, not hoped for: the sign-in waits at a gate that the test opens
//! only once every caller is waiting, and the wall clock is a `VirtualTime`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use assetkit_auth::{JwtSession, SecretString, SignIn};
use assetkit_core::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use assetkit_core::time::{Clock, VirtualTime};
use assetkit_core::{
    ApiError, Authenticator, Authorization, Client, Created, Error, Request, Result, RetryPolicy, Vendor,
};
use base64::Engine as _;
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use futures::future::join_all;
use tokio::sync::Semaphore;
use wiremock::matchers::header;
use wiremock::{Mock, MockServer, Request as Received, Respond, ResponseTemplate};

/// A scripted sign-in: counts its calls, makes call `n` (from `gated_from` on) wait until the
/// gate is opened, then answers what `answer(n)` says.
#[derive(Clone)]
struct Script {
    calls: Arc<AtomicUsize>,
    gate: Arc<Semaphore>,
}

impl Script {
    fn new() -> Self {
        Self {
            calls: Arc::new(AtomicUsize::new(0)),
            gate: Arc::new(Semaphore::new(0)),
        }
    }

    fn sign_in(
        &self,
        gated_from: usize,
        answer: impl Fn(usize) -> Result<SecretString> + Send + Sync + 'static,
    ) -> impl SignIn + 'static {
        let script = self.clone();
        move || {
            let n = script.calls.fetch_add(1, Ordering::SeqCst) + 1;
            let gate = (n >= gated_from).then(|| script.gate.clone());
            let answer = answer(n);
            async move {
                if let Some(gate) = gate {
                    let _permit = gate.acquire().await.unwrap();
                }
                answer
            }
        }
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    fn open(&self) {
        self.gate.add_permits(1_000);
    }
}

#[expect(clippy::unnecessary_wraps, reason = "a sign-in's answer is a Result")]
fn token(n: usize) -> Result<SecretString> {
    Ok(SecretString::from(format!("token-{n}")))
}

fn refused() -> Error {
    Error::from_api(ApiError::with_message(
        Vendor::new("unicat"),
        401,
        "Invalid credentials.",
    ))
}

fn bearer(authorization: &Authorization) -> &str {
    authorization.value().to_str().unwrap()
}

fn renewal(value: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(AUTHORIZATION, HeaderValue::from_str(value).unwrap());
    headers
}

/// Polls every future once, asserting that each one is waiting (so they overlap for sure).
async fn all_waiting<F: std::future::Future + Unpin>(futures: &mut [F]) {
    for future in futures {
        assert!(
            futures::poll!(future).is_pending(),
            "a caller did not wait for the sign-in"
        );
    }
}

#[tokio::test]
async fn fifty_concurrent_authorizations_share_one_failed_sign_in() {
    let script = Script::new();
    let session = JwtSession::new(script.sign_in(1, |n| if n == 1 { Err(refused()) } else { token(n) }));
    let mut callers: Vec<_> = (0..50).map(|_| session.authorize()).collect();
    all_waiting(&mut callers).await;
    assert_eq!(script.calls(), 1);
    script.open();
    let results = join_all(callers).await;
    assert_eq!(script.calls(), 1, "a waiter tried the password again");
    let refusals = results
        .iter()
        .filter(|r| matches!(r, Err(Error::Unauthorized(e)) if e.message == "Invalid credentials." && e.status == 401))
        .count();
    assert_eq!(refusals, 50);
    assert!(!session.is_signed_in());
    // Once the failure has settled, the next caller may try again.
    let next = session.authorize().await.unwrap();
    assert_eq!(bearer(&next), "Bearer token-2");
    assert_eq!(script.calls(), 2);
}

#[tokio::test]
async fn fifty_concurrent_reauthorizations_of_one_token_sign_in_once() {
    let script = Script::new();
    let session = JwtSession::new(script.sign_in(2, token));
    session.sign_in().await.unwrap();
    let rejected = session.authorize().await.unwrap();
    assert_eq!(bearer(&rejected), "Bearer token-1");
    let mut callers: Vec<_> = (0..50).map(|_| session.reauthorize(&rejected)).collect();
    all_waiting(&mut callers).await;
    script.open();
    for renewed in join_all(callers).await {
        assert!(renewed.unwrap());
    }
    assert_eq!(script.calls(), 2);
    let next = session.authorize().await.unwrap();
    assert_eq!(bearer(&next), "Bearer token-2");
    assert!(next.generation() > rejected.generation());
    // A 401 to the old token arriving late uses the new token, without signing in.
    assert!(session.reauthorize(&rejected).await.unwrap());
    assert_eq!(script.calls(), 2);
}

#[tokio::test]
async fn fifty_concurrent_reauthorizations_share_one_failed_sign_in() {
    let script = Script::new();
    let session = JwtSession::new(script.sign_in(2, |n| if n == 1 { token(n) } else { Err(refused()) }));
    session.sign_in().await.unwrap();
    let rejected = session.authorize().await.unwrap();
    let mut callers: Vec<_> = (0..50).map(|_| session.reauthorize(&rejected)).collect();
    all_waiting(&mut callers).await;
    script.open();
    let results = join_all(callers).await;
    assert_eq!(script.calls(), 2);
    assert_eq!(
        results
            .iter()
            .filter(|r| matches!(r, Err(Error::Unauthorized(_))))
            .count(),
        50
    );
}

/// Answers 401, and counts the answers as permits of `rejections`.
struct Rejections(Arc<Semaphore>);

impl Respond for Rejections {
    fn respond(&self, _: &Received) -> ResponseTemplate {
        self.0.add_permits(1);
        ResponseTemplate::new(401).set_body_string(r#"{"success":false,"error":"Token expired."}"#)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_requests_refused_together_sign_in_once_more() {
    let server = MockServer::start().await;
    let rejections = Arc::new(Semaphore::new(0));
    Mock::given(header("authorization", "Bearer token-1"))
        .respond_with(Rejections(rejections.clone()))
        .expect(50)
        .mount(&server)
        .await;
    Mock::given(header("authorization", "Bearer token-2"))
        .respond_with(ResponseTemplate::new(200))
        .expect(50)
        .mount(&server)
        .await;
    // The second sign-in finishes only once all 50 requests have been refused, so every
    // one of them has a 401 to the same token to renew.
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = calls.clone();
    let session = JwtSession::new(move || {
        let n = counted.fetch_add(1, Ordering::SeqCst) + 1;
        let rejections = rejections.clone();
        async move {
            if n > 1 {
                rejections.acquire_many(50).await.unwrap().forget();
            }
            token(n)
        }
    });
    session.sign_in().await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    let time = VirtualTime::new();
    let client = Client::builder(Vendor::OTHER, server.uri())
        .allow_http(true)
        .auth(Arc::new(session.clone()))
        .retry(RetryPolicy::default().with_jitter(false))
        .sleeper(Arc::new(time.clone()))
        .clock(Arc::new(time))
        .build()
        .unwrap();
    let requests = (0..50).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.execute(Request::get(&["x"])).await })
    });
    let answers = tokio::time::timeout(Duration::from_secs(30), join_all(requests))
        .await
        .expect("the requests hung");
    for answer in answers {
        assert_eq!(answer.unwrap().unwrap().status(), 200);
    }
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    server.verify().await;
}

#[tokio::test]
async fn a_late_renewal_for_an_older_token_never_replaces_a_newer_one() {
    let script = Script::new();
    let session = JwtSession::renewed_in_authorization(script.sign_in(usize::MAX, token));
    let first = session.authorize().await.unwrap();
    assert_eq!((bearer(&first), first.generation()), ("Bearer token-1", 1));
    session.observe(&first, &renewal("Bearer renewed-a"));
    let second = session.authorize().await.unwrap();
    assert_eq!((bearer(&second), second.generation()), ("Bearer renewed-a", 2));

    // An answer to generation 1 arrives late, with the renewal it was given then.
    session.observe(&first, &renewal("Bearer stale-b"));
    let current = session.authorize().await.unwrap();
    assert_eq!((bearer(&current), current.generation()), ("Bearer renewed-a", 2));

    // The same renewal again does not bump the generation; a new one to generation 2 is taken.
    session.observe(&second, &renewal("renewed-a"));
    assert_eq!(session.authorize().await.unwrap().generation(), 2);
    session.observe(&second, &renewal("Bearer renewed-c"));
    let third = session.authorize().await.unwrap();
    assert_eq!((bearer(&third), third.generation()), ("Bearer renewed-c", 3));

    // A sign-in after a 401 is not undone by a renewal answering the refused token.
    assert!(session.reauthorize(&third).await.unwrap());
    let signed_in = session.authorize().await.unwrap();
    assert_eq!(
        (bearer(&signed_in), signed_in.generation()),
        ("Bearer token-2", 4)
    );
    session.observe(&third, &renewal("Bearer renewed-d"));
    assert_eq!(bearer(&session.authorize().await.unwrap()), "Bearer token-2");
    assert_eq!(script.calls(), 2);
}

/// An unsigned JWT with these claims.
fn jwt(claims: &str) -> String {
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#);
    format!("{header}.{}.c2lnbmF0dXJl", URL_SAFE_NO_PAD.encode(claims))
}

/// A JWT that expires `secs` after `time`'s now.
fn expiring(time: &VirtualTime, secs: u64) -> String {
    let now = time.system_now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    jwt(&format!(r#"{{"sub":"roland","exp":{}}}"#, now + secs))
}

/// Virtual time on a whole second, so that `exp` comparisons are exact.
fn clock() -> VirtualTime {
    VirtualTime::starting_at(UNIX_EPOCH + Duration::from_secs(1_800_000_000))
}

#[tokio::test]
async fn a_token_that_expires_within_the_margin_is_renewed_before_use() {
    let time = clock();
    let script = Script::new();
    let issued = time.clone();
    let session = JwtSession::new(script.sign_in(usize::MAX, move |n| {
        Ok(SecretString::from(expiring(
            &issued,
            if n == 1 { 30 } else { 3_600 },
        )))
    }))
    .with_clock(Arc::new(time.clone()));
    let first = session.authorize().await.unwrap();
    assert_eq!(script.calls(), 1);
    assert_eq!(bearer(&first), format!("Bearer {}", expiring(&time, 30)));
    let second = session.authorize().await.unwrap();
    assert_eq!(script.calls(), 2, "a token 30 s from its exp was used as it was");
    assert_eq!(bearer(&second), format!("Bearer {}", expiring(&time, 3_600)));
    assert!(second.generation() > first.generation());
    session.authorize().await.unwrap();
    assert_eq!(script.calls(), 2);
}

#[tokio::test]
async fn a_token_ten_minutes_from_expiry_is_used_until_the_margin() {
    let time = clock();
    let script = Script::new();
    let issued = time.clone();
    let session = JwtSession::new(script.sign_in(usize::MAX, move |n| {
        let token = expiring(&issued, 600);
        Ok(SecretString::from(format!("{token}{n}")))
    }))
    .with_clock(Arc::new(time.clone()));
    session.authorize().await.unwrap();
    session.authorize().await.unwrap();
    assert_eq!(script.calls(), 1);
    time.advance(Duration::from_secs(539));
    session.authorize().await.unwrap();
    assert_eq!(script.calls(), 1, "61 s before exp is outside the margin");
    time.advance(Duration::from_secs(61));
    let renewed = session.authorize().await.unwrap();
    assert_eq!(script.calls(), 2);
    assert!(bearer(&renewed).ends_with('2'));
}

#[tokio::test]
async fn the_refresh_margin_is_configurable() {
    let time = clock();
    let script = Script::new();
    let issued = time.clone();
    let session = JwtSession::new(script.sign_in(usize::MAX, move |_| {
        Ok(SecretString::from(expiring(&issued, 600)))
    }))
    .with_clock(Arc::new(time.clone()))
    .with_refresh_margin(Duration::from_secs(300));
    assert_eq!(JwtSession::DEFAULT_REFRESH_MARGIN, Duration::from_secs(60));
    session.authorize().await.unwrap();
    time.advance(Duration::from_secs(299));
    session.authorize().await.unwrap();
    assert_eq!(script.calls(), 1);
    time.advance(Duration::from_secs(1));
    session.authorize().await.unwrap();
    assert_eq!(script.calls(), 2);
}

#[tokio::test]
async fn fifty_callers_of_a_token_near_expiry_share_one_sign_in() {
    let time = clock();
    let script = Script::new();
    let issued = time.clone();
    let session = JwtSession::new(script.sign_in(2, move |n| {
        Ok(SecretString::from(expiring(
            &issued,
            if n == 1 { 10 } else { 3_600 },
        )))
    }))
    .with_clock(Arc::new(time.clone()));
    session.sign_in().await.unwrap();
    let mut callers: Vec<_> = (0..50).map(|_| session.authorize()).collect();
    all_waiting(&mut callers).await;
    script.open();
    let fresh = format!("Bearer {}", expiring(&time, 3_600));
    for authorization in join_all(callers).await {
        assert_eq!(bearer(&authorization.unwrap()), fresh);
    }
    assert_eq!(script.calls(), 2);
}

#[tokio::test]
async fn a_failed_early_sign_in_keeps_the_token_until_it_expires() {
    let time = clock();
    let script = Script::new();
    let issued = time.clone();
    let session = JwtSession::new(script.sign_in(usize::MAX, move |n| {
        if n == 1 {
            Ok(SecretString::from(expiring(&issued, 30)))
        } else {
            Err(refused())
        }
    }))
    .with_clock(Arc::new(time.clone()));
    let first = session.authorize().await.unwrap();
    let again = session.authorize().await.unwrap();
    assert_eq!(script.calls(), 2);
    assert_eq!(bearer(&again), bearer(&first));
    assert_eq!(again.generation(), first.generation());
    time.advance(Duration::from_secs(30));
    let err = session.authorize().await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized(_)), "{err:?}");
    assert_eq!(script.calls(), 3);
}

#[tokio::test]
async fn an_early_sign_in_that_brings_another_short_token_is_not_repeated() {
    // A clock far ahead of the vendor's makes every token look due: that must not cost a
    // sign-in per request.
    let time = clock();
    let script = Script::new();
    let issued = time.clone();
    let session = JwtSession::new(script.sign_in(usize::MAX, move |n| {
        Ok(SecretString::from(format!("{}{n}", expiring(&issued, 5))))
    }))
    .with_clock(Arc::new(time.clone()));
    for _ in 0..5 {
        session.authorize().await.unwrap();
    }
    assert_eq!(script.calls(), 2);
    assert!(bearer(&session.authorize().await.unwrap()).ends_with('2'));
}

#[tokio::test]
async fn tokens_without_a_usable_exp_are_used_as_they_are() {
    let far = clock().system_now().duration_since(UNIX_EPOCH).unwrap().as_secs() + 600;
    let non_utf8 = format!("e30.{}.sig", URL_SAFE_NO_PAD.encode([0xff, 0xfe, 0x22, 0x80]));
    let tokens = [
        "no-dots-at-all".to_owned(),
        "two.parts".to_owned(),
        "..".to_owned(),
        "e30.!!!not*base64!!!.sig".to_owned(),
        "e30.e30.sig.four.five".to_owned(),
        non_utf8,
        jwt(r#"{"exp":1e300}"#),
        jwt(r#"{"exp":-1e300}"#),
        jwt(r#"{"exp":1e400}"#),
        jwt(r#"{"exp":-5}"#),
        jwt(r#"{"exp":0}"#),
        jwt(r#"{"exp":"x"}"#),
        jwt(r#"{"exp":null}"#),
        jwt(r#"{"exp":{"at":5}}"#),
        jwt(r#"{"exp":18446744073709551615}"#),
        jwt(r#"{"exp":340282366920938463463374607431768211456}"#),
        jwt(r#"{"sub":"no exp"}"#),
        jwt(r"[1,2,3]"),
        jwt("null"),
        jwt("not json"),
        format!("e30.{}.sig", URL_SAFE.encode(r#"{"exp":-55}"#)),
        jwt(&format!(r#"{{"exp":{far}.5}}"#)),
    ];
    for secret in tokens {
        let time = clock();
        let script = Script::new();
        let answer = secret.clone();
        let session =
            JwtSession::new(script.sign_in(usize::MAX, move |_| Ok(SecretString::from(answer.as_str()))))
                .with_clock(Arc::new(time.clone()));
        for _ in 0..3 {
            let authorization = session.authorize().await.unwrap();
            assert_eq!(bearer(&authorization), format!("Bearer {secret}"));
        }
        assert_eq!(script.calls(), 1, "{secret} was not used as it was");
    }
}

#[tokio::test]
async fn a_cancelled_sign_in_hands_over_to_a_waiting_caller() {
    let script = Script::new();
    let session = JwtSession::new(script.sign_in(1, token));
    let mut leader = session.authorize();
    let mut follower = session.authorize();
    assert!(futures::poll!(&mut leader).is_pending());
    assert!(futures::poll!(&mut follower).is_pending());
    drop(leader);
    script.open();
    let authorization = tokio::time::timeout(Duration::from_secs(10), follower)
        .await
        .expect("the follower waited for a sign-in nobody runs")
        .unwrap();
    assert_eq!(bearer(&authorization), "Bearer token-2");
    assert_eq!(script.calls(), 2);
}

#[tokio::test]
async fn waiters_get_the_same_kind_and_text_of_failure() {
    let failures: Vec<fn() -> Error> = vec![
        refused,
        || Error::from_api(ApiError::with_message(Vendor::new("unicat"), 503, "down")),
        || Error::from_api(ApiError::with_message(Vendor::new("unicat"), 429, "slow down")),
        || {
            Error::Rejected(Box::new(ApiError::with_message(
                Vendor::new("enklu"),
                200,
                "Invalid credentials.",
            )))
        },
        || Error::invalid("no password configured"),
        || {
            Error::io(
                "/etc/assetkit/credentials",
                std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
            )
        },
        || Error::decode("SignInAnswer", "missing field `token`", b"{\"body\":{}}"),
        || refused().after_created(Created::new(Vendor::new("unicat"), "session", "s-1")),
    ];
    for make in failures {
        let original = make();
        let script = Script::new();
        let session = JwtSession::new(script.sign_in(1, move |_| Err(make())));
        let mut callers: Vec<_> = (0..3).map(|_| session.authorize()).collect();
        all_waiting(&mut callers).await;
        script.open();
        for result in join_all(callers).await {
            let error = result.unwrap_err();
            assert_eq!(std::mem::discriminant(&error), std::mem::discriminant(&original));
            assert_eq!(error.to_string(), original.to_string());
            assert_eq!(error.status(), original.status());
            assert_eq!(error.is_retryable(), original.is_retryable());
            assert_eq!(chain(&error), chain(&original));
        }
        assert_eq!(script.calls(), 1);
    }
}

/// The texts of an error's causes.
fn chain(error: &Error) -> Vec<String> {
    let mut texts = Vec::new();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        texts.push(cause.to_string());
        source = cause.source();
    }
    texts
}

#[test]
fn debug_shows_no_token() {
    let session = JwtSession::new(|| async { Ok(SecretString::from("s3cr3t-jwt")) })
        .with_clock(Arc::new(VirtualTime::starting_at(SystemTime::UNIX_EPOCH)));
    futures::executor::block_on(session.sign_in()).unwrap();
    let printed = format!("{session:?}");
    assert!(!printed.contains("s3cr3t"), "{printed}");
    assert!(printed.contains("signed_in: true"), "{printed}");
}
