//! `--mock`: the testkit's fake servers, started in this process for one command. Behind
//! the `mock` cargo feature (on by default), so a build without it links no test server.

/// Which vendor's fake to start.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Fake {
    Roblox,
    Webflow,
    Enklu,
    Unicat,
    MediaPocket,
}

/// A running fake and what a client needs to reach it.
pub(crate) struct Mock {
    /// The fake server, kept alive for the command's life.
    _server: Box<dyn std::any::Any + Send + Sync>,
    /// Its base URL (Enklu: the assets host).
    pub(crate) base_url: String,
    /// Enklu's sign-in host.
    pub(crate) auth_url: String,
    /// The credential the fake accepts (Enklu: the e-mail).
    pub(crate) key: String,
    /// Enklu's password.
    pub(crate) password: String,
    /// The fake's project, app or site id, where the vendor has one.
    pub(crate) scope: String,
}

/// Starts `fake` when `--mock` was given.
pub(crate) async fn start_if(mock: bool, fake: Fake) -> Result<Option<Mock>, assetkit::Error> {
    if mock {
        start(fake).await.map(Some)
    } else {
        Ok(None)
    }
}

#[cfg(feature = "mock")]
async fn start(fake: Fake) -> Result<Mock, assetkit::Error> {
    use assetkit_testkit as kit;
    let mock = |server: Box<dyn std::any::Any + Send + Sync>, base_url: String| Mock {
        _server: server,
        base_url,
        auth_url: String::new(),
        key: String::new(),
        password: String::new(),
        scope: String::new(),
    };
    Ok(match fake {
        Fake::Roblox => {
            let server = kit::FakeRoblox::start().await;
            let base = server.uri();
            Mock {
                key: "mock-key".into(),
                ..mock(Box::new(server), base)
            }
        }
        Fake::Webflow => {
            let server = kit::FakeWebflow::start().await;
            let base = server.uri();
            Mock {
                key: "mock-token".into(),
                ..mock(Box::new(server), base)
            }
        }
        Fake::Enklu => {
            let server = kit::FakeEnklu::start().await;
            let (base, auth) = (server.assets_url(), server.auth_url());
            Mock {
                auth_url: auth,
                key: kit::ENKLU_EMAIL.into(),
                password: kit::ENKLU_PASSWORD.into(),
                scope: kit::ENKLU_APP.into(),
                ..mock(Box::new(server), base)
            }
        }
        Fake::Unicat => {
            let server = kit::FakeUnicat::start().await;
            let base = server.uri();
            Mock {
                key: kit::UNICAT_API_KEY.into(),
                scope: kit::UNICAT_PROJECT.into(),
                ..mock(Box::new(server), base)
            }
        }
        Fake::MediaPocket => {
            let server = kit::FakeMediaPocket::start().await;
            let base = server.base_url();
            Mock {
                key: "mock-key".into(),
                scope: kit::DEMO_PROJECT.into(),
                ..mock(Box::new(server), base)
            }
        }
    })
}

#[cfg(not(feature = "mock"))]
async fn start(_: Fake) -> Result<Mock, assetkit::Error> {
    Err(assetkit::Error::invalid(
        "this assetkit was built without the `mock` feature: --mock is not available",
    ))
}
