//! The auth endpoint: `POST /api/p/<project gid>/auth`, the sign-in every session starts
//! with.

mod sign_in;

pub(crate) use sign_in::sign_in_step;
