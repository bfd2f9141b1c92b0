//! The one page-walking loop behind every list that streams (Roblox asset versions, Webflow
//! assets, Unicat children).

// Each vendor feature uses a part of it; with all of them on, everything is used.
#![cfg_attr(
    not(all(feature = "roblox", feature = "unicat", feature = "webflow")),
    allow(dead_code)
)]

use std::future::Future;

use assetkit_core::Result;
use futures::stream::{self, BoxStream, StreamExt};

/// Streams pages from `first` on: `fetch(cursor)` answers a page and the cursor of the next
/// one, `None` after the last. An error is yielded and ends the stream.
pub(crate) fn pages<C, P, F, Fut>(first: C, fetch: F) -> BoxStream<'static, Result<P>>
where
    C: Send + 'static,
    P: Send + 'static,
    F: FnMut(C) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(P, Option<C>)>> + Send + 'static,
{
    stream::try_unfold((Some(first), fetch), |(cursor, mut fetch)| async move {
        let Some(cursor) = cursor else {
            return Ok(None);
        };
        let (page, next) = fetch(cursor).await?;
        Ok(Some((page, (next, fetch))))
    })
    .boxed()
}

/// Whether an offset-paged list goes on after a page of `count` items that started at
/// `offset`: never after an empty page; up to `total` when the answer gives it; otherwise
/// while pages come back full (`page_size`, when known).
pub(crate) fn more_after(offset: u64, count: u64, total: Option<u64>, page_size: Option<u64>) -> bool {
    count > 0
        && match total {
            Some(total) => offset + count < total,
            None => page_size.is_none_or(|size| count >= size),
        }
}

#[cfg(test)]
mod tests {
    use futures::TryStreamExt;

    use super::*;

    #[test]
    fn offsets_stop_at_the_total_an_empty_or_a_short_page() {
        assert!(more_after(0, 10, Some(25), Some(10)));
        assert!(!more_after(20, 5, Some(25), Some(10)));
        assert!(!more_after(0, 0, Some(25), Some(10)));
        assert!(!more_after(0, 7, None, Some(10)));
        assert!(more_after(0, 10, None, Some(10)));
        assert!(more_after(0, 3, None, None));
    }

    #[tokio::test]
    async fn an_error_is_yielded_then_ends_the_stream() {
        let seen: Vec<Result<u32>> = pages(0_u32, |n| async move {
            if n == 2 {
                Err(assetkit_core::Error::invalid("boom"))
            } else {
                Ok((n, Some(n + 1)))
            }
        })
        .collect()
        .await;
        assert_eq!(seen.len(), 3);
        assert!(matches!(seen[2], Err(assetkit_core::Error::InvalidRequest(_))));
        let all: Vec<u32> = pages(0_u32, |n| async move { Ok((n, (n < 3).then_some(n + 1))) })
            .try_collect()
            .await
            .unwrap();
        assert_eq!(all, [0, 1, 2, 3]);
    }
}
