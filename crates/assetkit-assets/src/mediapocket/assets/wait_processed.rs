//! GET /assets/{id}, polled until the media is processed.

use assetkit_core::Result;
use assetkit_operations::{Pending, PollPolicy, PollState, Poller};

use crate::mediapocket::MediaPocketClient;
use crate::mediapocket::models::{Asset, MediaType};
use crate::require_non_blank;

/// Waits until an asset's media leaves `processing`, polling `GET /assets/{id}`.
///
/// Media added from a URL or S3 is processed after the request returns; meanwhile the
/// asset's `media_type` is `processing`. This polls on the [`PollPolicy`] (default: after
/// 1 s, doubling, capped at 30 s, ±20 %, for at most 10 minutes) and returns the asset as
/// soon as its `media_type` is anything else. Media Pocket documents no failed state: check
/// the returned `media_type` (a `placeholder` after processing means no media was kept).
///
/// Transient failures of a poll (429, 5xx, broken connections) do not stop it; a deadline
/// gives [`Error::PollTimeout`](assetkit_core::Error::PollTimeout). Timing comes from the
/// client's settings, so a `VirtualTime` in tests makes every wait exact and instant.
///
/// ```no_run
/// # use assetkit::mediapocket::MediaPocketClient;
/// use std::time::Duration;
/// use assetkit::PollPolicy;
/// # async fn run(client: MediaPocketClient) -> assetkit::Result<()> {
/// let asset = client
///     .assets()
///     .wait_processed("McC66LDIygdLGTdqRs9E")
///     .poll_policy(PollPolicy::default().with_deadline(Some(Duration::from_secs(120))))
///     .wait()
///     .await?;
/// println!("{} is {}", asset.id, asset.media_type);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct WaitProcessed {
    client: MediaPocketClient,
    asset_id: String,
    policy: PollPolicy,
}

impl WaitProcessed {
    pub(super) fn new(client: MediaPocketClient, asset_id: String) -> Self {
        let policy = client.poll_policy.clone();
        Self {
            client,
            asset_id,
            policy,
        }
    }

    /// Sets when to poll and for how long, for this call (over the client's policy).
    pub fn poll_policy(mut self, policy: PollPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The poller itself, for `poll()` once or `into_stream()` of every state seen.
    /// Each poll is `Pending` (status `"processing"`) or `Done` with the asset.
    pub fn poller(self) -> Poller<Asset> {
        let assets = self.client.assets();
        let id = self.asset_id;
        Poller::new(format!("mediapocket asset {id} media processing"), move || {
            let get = assets.get(id.clone());
            Box::pin(async move {
                let asset = get.send().await?;
                Ok(if asset.media_type == MediaType::Processing {
                    PollState::Pending(Pending::with_status(MediaType::Processing.as_str()))
                } else {
                    PollState::Done(asset)
                })
            })
        })
        .time_of(&self.client.http)
        .policy(self.policy)
    }

    /// Polls until the media is processed and returns the asset.
    pub async fn wait(self) -> Result<Asset> {
        require_non_blank("the asset id", &self.asset_id)?;
        self.poller().until_done().await
    }

    /// The same as [`wait`](Self::wait), under the name every other builder ends with.
    pub async fn send(self) -> Result<Asset> {
        self.wait().await
    }
}
