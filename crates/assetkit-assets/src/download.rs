//! What every vendor's download builder shares: it finds where the bytes are (its own
//! `located`), then hands them to [`assetkit_core::Download`], which streams them to a
//! path or a writer.

use assetkit_core::{Client, Download, ProgressReporter, Url};

/// A download of `url` by `http`, reporting to `progress` when there is one.
pub(crate) fn fetch(http: &Client, url: Url, progress: Option<&ProgressReporter>) -> Download {
    let download = http.download(url);
    match progress {
        Some(progress) => download.progress(progress.clone()),
        None => download,
    }
}

/// The `to_path` and `to_writer` of a download builder whose `located(self)` answers the
/// [`Download`] of its bytes.
macro_rules! download_ends {
    ($builder:ty) => {
        impl $builder {
            /// Downloads to `path`: a temporary file beside it, flushed and renamed into
            /// place once complete. Returns the byte count.
            pub async fn to_path(self, path: impl AsRef<std::path::Path>) -> assetkit_core::Result<u64> {
                self.located().await?.to_path(path).await
            }

            /// Downloads into `writer`; returns the byte count.
            pub async fn to_writer<W: tokio::io::AsyncWrite + Unpin + Send>(
                self,
                writer: &mut W,
            ) -> assetkit_core::Result<u64> {
                self.located().await?.to_writer(writer).await
            }
        }
    };
}
pub(crate) use download_ends;
