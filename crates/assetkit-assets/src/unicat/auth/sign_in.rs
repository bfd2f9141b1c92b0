//! Sign In: `POST /api/p/<project gid>/auth`. Trades the API key for a JWT, which Unicat
//! sends back in the answer's `Authorization` header.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use assetkit_auth::{ExposeSecret, SecretString};
use assetkit_core::header::AUTHORIZATION;
use assetkit_core::{Client, Error, Request, Result};
use serde::Serialize;

/// The sign-in step of the client's [`JwtSession`](assetkit_auth::JwtSession).
pub(crate) fn sign_in_step(
    http: Client,
    project: Arc<str>,
    api_key: SecretString,
) -> impl Fn() -> Pin<Box<dyn Future<Output = Result<SecretString>> + Send>> + Send + Sync + 'static {
    move || {
        let http = http.clone();
        let project = project.clone();
        let api_key = api_key.clone();
        Box::pin(async move { sign_in(&http, &project, &api_key).await })
    }
}

/// The JSON body of the sign-in. No `Debug`: it holds the key.
#[derive(Serialize)]
struct SignInBody<'a> {
    api_key: &'a str,
}

async fn sign_in(http: &Client, project: &str, api_key: &SecretString) -> Result<SecretString> {
    let request = Request::post(&["api", "p", project, "auth"])
        .json(&SignInBody {
            api_key: api_key.expose_secret(),
        })?
        // Signing in twice is harmless, so a 5xx may be retried.
        .idempotent(true)
        .endpoint("unicat.auth");
    let response = http.execute(request).await?;
    // The documented answer is `Authorization: <JWT>`; accept a `Bearer ` prefix too.
    let token = response
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .map(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
                .unwrap_or(v)
                .trim()
        })
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            Error::decode(
                "Unicat auth answer",
                "no JWT in the Authorization header",
                response.body(),
            )
        })?;
    Ok(SecretString::from(token.to_owned()))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_body_is_the_documented_sign_in_request() {
        let body = SignInBody {
            api_key: "<your-api_key-here>",
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"api_key": "<your-api_key-here>"})
        );
    }
}
