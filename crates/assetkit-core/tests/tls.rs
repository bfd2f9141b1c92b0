//! TLS backends and extra roots, against a real TLS server on loopback whose certificate
//! is signed by a private CA made for the test.

use std::sync::Arc;

use assetkit_core::{Client, Error, Request, Tls, Vendor};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A private CA's PEM, and the port of an HTTPS server for `localhost` whose certificate
/// that CA signed. The server answers every request `200 {}`.
async fn server_with_private_ca() -> (String, u16) {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(DnType::CommonName, "assetkit test CA");
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::DigitalSignature];
    let ca = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["localhost".to_owned()])
        .unwrap()
        .signed_by(&leaf_key, &ca)
        .unwrap();
    let key = rustls::pki_types::PrivateKeyDer::try_from(leaf_key.serialize_der()).unwrap();
    let config =
        rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![leaf.der().clone(), ca.der().clone()], key)
            .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                let mut seen = Vec::new();
                let mut buf = [0u8; 1024];
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                }
                let answer = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}";
                let _ = tls.write_all(answer).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (ca.pem(), port)
}

async fn get(client: &Client) -> Result<(), Error> {
    client.execute(Request::get(&["x"])).await.map(drop)
}

fn builder(port: u16) -> assetkit_core::ClientBuilder {
    Client::builder(Vendor::OTHER, format!("https://localhost:{port}"))
}

async fn trusts_only_with_the_root(tls: Tls) {
    let (ca, port) = server_with_private_ca().await;
    let plain = builder(port).tls(tls).build().unwrap();
    let refused = get(&plain).await.unwrap_err();
    assert!(matches!(refused, Error::Tls { .. }), "{tls:?}: {refused:?}");
    let trusting = builder(port)
        .tls(tls)
        .add_root_certificate_pem(ca)
        .build()
        .unwrap();
    get(&trusting)
        .await
        .unwrap_or_else(|e| panic!("{tls:?}: {}", e.report()));
}

#[tokio::test]
async fn rustls_trusts_a_private_ca_given_as_pem_and_refuses_without_it() {
    trusts_only_with_the_root(Tls::Rustls).await;
    trusts_only_with_the_root(Tls::Auto).await;
}

#[cfg(feature = "native-tls")]
#[tokio::test]
async fn the_platform_library_trusts_a_private_ca_given_as_pem_and_refuses_without_it() {
    trusts_only_with_the_root(Tls::Native).await;
}

#[cfg(not(feature = "native-tls"))]
#[tokio::test]
async fn the_platform_library_without_its_feature_is_refused_at_build() {
    let err = builder(443).tls(Tls::Native).build().unwrap_err();
    assert!(
        matches!(err, Error::InvalidRequest(ref m) if m.contains("native-tls")),
        "{err:?}"
    );
}

#[test]
fn a_pem_without_a_certificate_is_refused_at_build() {
    for pem in [&b"not a certificate"[..], b""] {
        let err = builder(443).add_root_certificate_pem(pem).build().unwrap_err();
        assert!(
            matches!(err, Error::InvalidRequest(ref m) if m.contains("PEM")),
            "{err:?}"
        );
    }
}
