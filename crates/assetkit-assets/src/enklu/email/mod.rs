//! The e-mail sign-in of the auth host (`POST /v1/email/signin`): not an endpoint builder,
//! the step the client's JWT session calls whenever it needs a token.

mod signin;

pub(crate) use signin::sign_in_step;
