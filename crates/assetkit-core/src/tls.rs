//! TLS: which library speaks it, and which certificate authorities it trusts.
//!
//! Two backends, each behind a cargo feature of the same name, as in the rest of the
//! ecosystem:
//!
//! | feature | default | library | trusted roots |
//! |---|---|---|---|
//! | `rustls` | on | [rustls](https://docs.rs/rustls) (aws-lc-rs) | the platform's store, through `rustls-platform-verifier`: the system certificates on Linux (`/etc/ssl/certs`, `SSL_CERT_FILE`), the keychain on macOS, the Windows store |
//! | `native-tls` | off | the platform's own: OpenSSL on Linux, Security.framework on macOS, SChannel on Windows | the same platform store, read by that library |
//!
//! With one feature on, it is used. With both, rustls is used unless
//! [`Tls::Native`] is asked for (`ClientBuilder::tls`, or `Settings::tls` in the vendor
//! crates), so enabling a feature never changes what an existing client does.
//!
//! **A corporate CA** (a TLS-inspecting proxy, a private API gateway): install it in the
//! platform's store, which both backends read, or hand its PEM to the client:
//!
//! ```no_run
//! # fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use assetkit_core::{Client, Vendor};
//!
//! let pem = std::fs::read("corporate-root.pem")?;
//! let client = Client::builder(Vendor::new("mine"), "https://api.example.com")
//!     .add_root_certificate_pem(pem) // trusted beside the platform's roots
//!     .build()?;
//! # Ok(()) }
//! ```
//!
//! The vendor clients take the same through `Settings::add_root_certificate_pem`.
//!
//! A certificate the backend refuses is [`Error::Tls`], which is
//! never retried.

use crate::{Error, Result};

/// Which TLS library a client uses; see the [module docs](self).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Tls {
    /// rustls when it is built in, else the platform's library.
    #[default]
    Auto,
    /// rustls (feature `rustls`).
    Rustls,
    /// The platform's library (feature `native-tls`).
    Native,
}

/// Applies `tls` and the extra roots to a reqwest builder; a backend that is not built in,
/// or a PEM that holds no certificate, is an `InvalidRequest`.
pub(crate) fn configure(
    builder: reqwest::ClientBuilder,
    tls: Tls,
    roots: &[Vec<u8>],
) -> Result<reqwest::ClientBuilder> {
    let builder = match tls {
        #[cfg(feature = "rustls")]
        Tls::Auto | Tls::Rustls => builder.tls_backend_rustls(),
        #[cfg(all(feature = "native-tls", not(feature = "rustls")))]
        Tls::Auto => builder.tls_backend_native(),
        #[cfg(feature = "native-tls")]
        Tls::Native => builder.tls_backend_native(),
        #[cfg(not(feature = "rustls"))]
        Tls::Rustls => {
            return Err(Error::invalid(
                "TLS by rustls was asked for, but this build has no `rustls` feature",
            ));
        }
        #[cfg(not(feature = "native-tls"))]
        Tls::Native => {
            return Err(Error::invalid(
                "the platform's TLS was asked for, but this build has no `native-tls` feature",
            ));
        }
        #[cfg(not(any(feature = "rustls", feature = "native-tls")))]
        Tls::Auto => builder,
    };
    add_roots(builder, roots)
}

#[cfg(any(feature = "rustls", feature = "native-tls"))]
fn add_roots(builder: reqwest::ClientBuilder, roots: &[Vec<u8>]) -> Result<reqwest::ClientBuilder> {
    let mut certificates = Vec::new();
    for pem in roots {
        let found = reqwest::Certificate::from_pem_bundle(pem)
            .ok()
            .filter(|c| !c.is_empty())
            .ok_or_else(|| Error::invalid("a root certificate is not PEM, or holds no certificate"))?;
        certificates.extend(found);
    }
    Ok(if certificates.is_empty() {
        builder
    } else {
        builder.tls_certs_merge(certificates)
    })
}

#[cfg(not(any(feature = "rustls", feature = "native-tls")))]
fn add_roots(builder: reqwest::ClientBuilder, roots: &[Vec<u8>]) -> Result<reqwest::ClientBuilder> {
    if roots.is_empty() {
        Ok(builder)
    } else {
        Err(Error::invalid(
            "root certificates need TLS: build with `rustls` or `native-tls`",
        ))
    }
}

/// Whether `error` (one cause of a failed request) is a TLS library's refusal.
pub(crate) fn is_refusal(error: &(dyn std::error::Error + 'static)) -> bool {
    #[cfg(feature = "rustls")]
    if error.is::<rustls::Error>() {
        return true;
    }
    #[cfg(feature = "native-tls")]
    if error.is::<native_tls::Error>() {
        return true;
    }
    let _ = error;
    false
}
