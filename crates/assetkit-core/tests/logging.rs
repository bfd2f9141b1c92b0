//! Everything the transport logs, at the most detailed level, while a credential goes
//! through retries and a renewal: the spans are there, the secret is not.

use std::io::Write;
use std::sync::{Arc, Mutex};

use assetkit_core::header::{AUTHORIZATION, HeaderValue};
use assetkit_core::time::VirtualTime;
use assetkit_core::{Authenticator, Authorization, Client, Request, RetryPolicy, Vendor};
use futures::future::BoxFuture;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "sk-live-7f3a9c1e";

/// A credential that renews itself once after a 401.
#[derive(Debug)]
struct Renewing;

impl Authenticator for Renewing {
    fn authorize(&self) -> BoxFuture<'_, assetkit_core::Result<Authorization>> {
        Box::pin(async {
            let value = HeaderValue::from_str(&format!("Bearer {SECRET}")).unwrap();
            Ok(Authorization::new(AUTHORIZATION, value, 0))
        })
    }

    fn reauthorize<'a>(&'a self, _: &'a Authorization) -> BoxFuture<'a, assetkit_core::Result<bool>> {
        Box::pin(async { Ok(true) })
    }
}

/// A writer that keeps everything written to it.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn trace_logs_name_the_request_but_never_the_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).insert_header("authorization", format!("Bearer {SECRET}-renewed")),
        )
        .mount(&server)
        .await;
    let time = VirtualTime::new();
    let client = Client::builder(Vendor::new("roblox"), server.uri())
        .allow_http(true)
        .auth(Arc::new(Renewing))
        .retry(RetryPolicy::default().with_jitter(false))
        .sleeper(Arc::new(time.clone()))
        .clock(Arc::new(time))
        .build()
        .unwrap();
    let response = client
        .execute(
            Request::post(&["v1", "assets"])
                .json(&serde_json::json!({"displayName": "Tree"}))
                .unwrap(),
        )
        .await
        .unwrap();
    tracing::debug!(?response, ?client, "done");

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("assetkit.request"), "no request span in:\n{logs}");
    assert!(logs.contains("credential renewed after 401"), "{logs}");
    assert!(logs.contains("retrying"), "{logs}");
    assert!(!logs.contains(SECRET), "the secret reached the logs:\n{logs}");
}
