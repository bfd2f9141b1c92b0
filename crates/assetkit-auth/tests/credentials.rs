//! Credentials against a local server: API keys, bearer tokens, and a JWT session whose
//! sign-in is a real HTTP call.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use assetkit_auth::{ApiKey, Bearer, JwtSession, SecretString};
use assetkit_core::time::VirtualTime;
use assetkit_core::{Client, Error, Request, RetryPolicy, Vendor};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, Request as Received, Respond, ResponseTemplate};

/// A vendor whose answers are `{success, ...}` envelopes, as Enklu's are.
#[derive(Debug)]
struct Enveloped;

impl assetkit_core::Profile for Enveloped {
    fn vendor(&self) -> Vendor {
        Vendor::new("enklu")
    }

    fn rejects(&self, body: &[u8]) -> bool {
        assetkit_core::vendor::success_false(body)
    }
}

fn client(base: &str, auth: Arc<dyn assetkit_core::Authenticator>) -> Client {
    let time = VirtualTime::new();
    Client::builder(Vendor::new("enklu"), base)
        .allow_http(true)
        .auth(auth)
        .retry(RetryPolicy::default().with_jitter(false))
        .sleeper(Arc::new(time.clone()))
        .clock(Arc::new(time))
        .build()
        .unwrap()
}

/// A session that signs in with email and password at `/v1/email/signin` of `auth_base`,
/// handing out `token-1`, `token-2`, ... (the server numbers them).
fn session(auth_base: &str) -> JwtSession {
    let signer = Client::builder(Enveloped, auth_base)
        .allow_http(true)
        .build()
        .unwrap();
    JwtSession::new(move || {
        let signer = signer.clone();
        async move {
            #[derive(serde::Deserialize)]
            struct Answer {
                body: Body,
            }
            #[derive(serde::Deserialize)]
            struct Body {
                token: String,
            }
            let request = Request::post(&["v1", "email", "signin"])
                .json(&serde_json::json!({"email": "roland@druidia.com", "password": "12345"}))?;
            let answer: Answer = signer.execute_json(request).await?;
            Ok(SecretString::from(answer.body.token))
        }
    })
}

/// Answers sign-ins with a new numbered token each time.
struct NumberedTokens(AtomicUsize);

impl Respond for NumberedTokens {
    fn respond(&self, _: &Received) -> ResponseTemplate {
        let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "success": true,
            "error": "None",
            "body": {"user": {"email": "roland@druidia.com", "displayName": "roland", "id": "0"}, "token": format!("token-{n}")}
        }))
    }
}

async fn mount_sign_in(server: &MockServer, expected: u64) {
    Mock::given(method("POST"))
        .and(path("/v1/email/signin"))
        .and(body_json(
            serde_json::json!({"email": "roland@druidia.com", "password": "12345"}),
        ))
        .respond_with(NumberedTokens(AtomicUsize::new(0)))
        .expect(expected)
        .mount(server)
        .await;
}

#[tokio::test]
async fn many_concurrent_requests_share_one_sign_in() {
    let auth = MockServer::start().await;
    let api = MockServer::start().await;
    mount_sign_in(&auth, 1).await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer token-1"))
        .respond_with(ResponseTemplate::new(200))
        .expect(20)
        .mount(&api)
        .await;
    let session = session(&auth.uri());
    let client = client(&api.uri(), Arc::new(session.clone()));
    let requests = (0..20).map(|i| {
        let client = client.clone();
        async move { client.execute(Request::get(&["asset", &i.to_string()])).await }
    });
    for result in futures::future::join_all(requests).await {
        result.unwrap();
    }
    assert!(session.is_signed_in());
    auth.verify().await;
    api.verify().await;
}

#[tokio::test]
async fn a_401_signs_in_again_once_and_succeeds() {
    let auth = MockServer::start().await;
    let api = MockServer::start().await;
    mount_sign_in(&auth, 2).await;
    Mock::given(header("authorization", "Bearer token-1"))
        .respond_with(
            ResponseTemplate::new(401).set_body_string(r#"{"success":false,"error":"Token expired."}"#),
        )
        .expect(1)
        .mount(&api)
        .await;
    Mock::given(header("authorization", "Bearer token-2"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"success":true,"body":{"id":"1"}}"#))
        .expect(1)
        .mount(&api)
        .await;
    let client = client(&api.uri(), Arc::new(session(&auth.uri())));
    let response = client.execute(Request::post(&["v1", "asset"])).await.unwrap();
    assert_eq!(response.status(), 200);
    auth.verify().await;
    api.verify().await;
}

#[tokio::test]
async fn a_second_401_is_unauthorized() {
    let auth = MockServer::start().await;
    let api = MockServer::start().await;
    mount_sign_in(&auth, 2).await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(401).set_body_string(r#"{"success":false,"error":"Not allowed."}"#),
        )
        .expect(2)
        .mount(&api)
        .await;
    let client = client(&api.uri(), Arc::new(session(&auth.uri())));
    let err = client.execute(Request::post(&["v1", "asset"])).await.unwrap_err();
    assert!(
        matches!(err, Error::Unauthorized(ref e) if e.message == "Not allowed."),
        "{err:?}"
    );
    auth.verify().await;
    api.verify().await;
}

#[tokio::test]
async fn a_failed_sign_in_is_the_callers_error() {
    let auth = MockServer::start().await;
    let api = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(r#"{"success":false,"error":"Invalid credentials."}"#),
        )
        .mount(&auth)
        .await;
    let client = client(&api.uri(), Arc::new(session(&auth.uri())));
    let err = client.execute(Request::get(&["x"])).await.unwrap_err();
    assert!(
        matches!(err, Error::Rejected(ref e) if e.message == "Invalid credentials."),
        "{err:?}"
    );
    assert!(api.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_token_renewed_in_a_response_header_is_used_next() {
    let api = MockServer::start().await;
    Mock::given(header("authorization", "Bearer first"))
        .respond_with(ResponseTemplate::new(200).insert_header("authorization", "renewed"))
        .expect(1)
        .mount(&api)
        .await;
    Mock::given(header("authorization", "Bearer renewed"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&api)
        .await;
    let sign_ins = Arc::new(AtomicUsize::new(0));
    let counted = sign_ins.clone();
    let session = JwtSession::renewed_in_authorization(move || {
        counted.fetch_add(1, Ordering::SeqCst);
        async { Ok(SecretString::from("first")) }
    });
    let client = client(&api.uri(), Arc::new(session));
    let first = client.execute(Request::post(&["a"])).await.unwrap();
    // The renewed token is in the response, but marked sensitive for Debug prints.
    assert!(!format!("{first:?}").contains("renewed"));
    client.execute(Request::post(&["a"])).await.unwrap();
    assert_eq!(sign_ins.load(Ordering::SeqCst), 1);
    api.verify().await;
}

#[tokio::test]
async fn api_keys_and_bearer_tokens_go_in_their_headers() {
    let api = MockServer::start().await;
    Mock::given(header("x-api-key", "roblox-key"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&api)
        .await;
    Mock::given(header("authorization", "Bearer fixed-token"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&api)
        .await;
    Mock::given(header("authorization", "Bearer supplied-2"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&api)
        .await;
    Mock::given(header("authorization", "Bearer supplied-1"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&api)
        .await;
    client(&api.uri(), Arc::new(ApiKey::x_api_key("roblox-key")))
        .execute(Request::get(&["a"]))
        .await
        .unwrap();
    client(&api.uri(), Arc::new(Bearer::new("fixed-token")))
        .execute(Request::get(&["b"]))
        .await
        .unwrap();
    // A supplied token is asked for again after a 401, as an OAuth2 app would refresh it.
    let calls = Arc::new(AtomicUsize::new(0));
    let supplier = {
        let calls = calls.clone();
        move || {
            let n = calls.fetch_add(1, Ordering::SeqCst) + 1;
            async move { Ok(SecretString::from(format!("supplied-{n}"))) }
        }
    };
    client(&api.uri(), Arc::new(Bearer::supplier(supplier)))
        .execute(Request::get(&["c"]))
        .await
        .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    api.verify().await;
}

#[tokio::test]
async fn a_fixed_bearer_token_is_not_retried_after_401() {
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&api)
        .await;
    let err = client(&api.uri(), Arc::new(Bearer::new("t")))
        .execute(Request::get(&["a"]))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unauthorized(_)));
    api.verify().await;
}

#[tokio::test]
async fn debug_never_shows_a_secret() {
    let auth = MockServer::start().await;
    mount_sign_in(&auth, 1).await;
    let session = session(&auth.uri());
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&api)
        .await;
    let client = client(&api.uri(), Arc::new(session.clone()));
    client.execute(Request::get(&["a"])).await.unwrap();
    let printed = format!(
        "{:?} {:?} {:?} {:?} {:?}",
        ApiKey::x_api_key("roblox-secret"),
        ApiKey::x_api_key("mp-secret"),
        Bearer::new("bearer-secret"),
        session,
        client
    );
    for secret in ["roblox-secret", "mp-secret", "bearer-secret", "token-1", "12345"] {
        assert!(!printed.contains(secret), "{secret} leaked in {printed}");
    }
}

#[tokio::test]
async fn a_credential_that_cannot_be_a_header_is_refused_without_echoing_it() {
    let api = MockServer::start().await;
    let err = client(&api.uri(), Arc::new(ApiKey::x_api_key("bad\nkey")))
        .execute(Request::get(&["a"]))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)));
    assert!(!err.to_string().contains("bad"));
    assert!(api.received_requests().await.unwrap().is_empty());
}
