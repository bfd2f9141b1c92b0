//! Sign In: `POST /v1/email/signin` (auth host). Trades an e-mail and password for a JWT.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use assetkit_auth::{ExposeSecret, SecretString};
use assetkit_core::{Client, Error, Request, Result};
use serde::Serialize;
use serde_json::Value;

use crate::enklu::EnkluUser;

/// The sign-in step of the client's [`JwtSession`](assetkit_auth::JwtSession): a closure
/// the session calls whenever it needs a token. It records the signed-in user in `user`.
pub(crate) fn sign_in_step(
    http: Client,
    email: String,
    password: SecretString,
    user: Arc<Mutex<Option<EnkluUser>>>,
) -> impl Fn() -> std::pin::Pin<Box<dyn Future<Output = Result<SecretString>> + Send>> + Send + Sync + 'static
{
    move || {
        let http = http.clone();
        let email = email.clone();
        let password = password.clone();
        let user = user.clone();
        Box::pin(async move {
            let (token, who) = sign_in(&http, &email, &password).await?;
            *user.lock().unwrap_or_else(PoisonError::into_inner) = Some(who);
            Ok(token)
        })
    }
}

/// The JSON body of the sign-in. No `Debug`: it holds the password.
#[derive(Serialize)]
struct SignInBody<'a> {
    email: &'a str,
    password: &'a str,
}

/// Signs in once. A `success: false` answer is an error with Enklu's message (core turns a
/// 2xx one into `Rejected` and reads the message of a non-2xx one).
async fn sign_in(http: &Client, email: &str, password: &SecretString) -> Result<(SecretString, EnkluUser)> {
    let body = SignInBody {
        email,
        password: password.expose_secret(),
    };
    let request = Request::post(&["v1", "email", "signin"])
        .json(&body)?
        // Signing in twice is harmless, so a 5xx may be retried.
        .idempotent(true)
        .endpoint("enklu.sign_in");
    let response = http.execute(request).await?;
    // Decoded by hand, never through `Error::decode` with the body: the body holds the token.
    let answer: Value = serde_json::from_slice(response.body())
        .map_err(|e| Error::decode_json("Enklu sign-in answer", e, b"(withheld: it may hold the token)"))?;
    let body = answer.get("body");
    let token = body
        .and_then(|b| b.get("token"))
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            Error::decode(
                "Enklu sign-in answer",
                "no token in body.token",
                b"(withheld: it may hold the token)",
            )
        })?;
    let user = body.and_then(|b| b.get("user"));
    let text = |key: &str| {
        user.and_then(|u| u.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let who = EnkluUser {
        id: text("id"),
        email: text("email"),
        display_name: text("displayName"),
    };
    Ok((SecretString::from(token.to_owned()), who))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_body_is_the_documented_sign_in_request() {
        let body = SignInBody {
            email: "roland@druida.com",
            password: "12345",
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"email": "roland@druida.com", "password": "12345"})
        );
    }
}
