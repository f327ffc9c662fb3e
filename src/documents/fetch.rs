//! A document taken from another system by its address (a dossier forwarded
//! by the national portal names its files by URL): fetched over http(s)
//! only, without following redirects, within a time limit, stopped at the
//! size limit, and checked by its content like an upload.

use super::receive::{ReceiveError, Receiving};
use super::store::Received;

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("not an http(s) address")]
    BadAddress,
    #[error("unreachable: {0}")]
    Unreachable(String),
    #[error("answered {0}")]
    Status(u16),
    #[error("{0}")]
    Received(#[from] ReceiveError),
}

/// Fetches `url` into a temporary file in `dir`, at most `limit` bytes.
pub async fn fetch(
    http: &reqwest::Client,
    url: &str,
    given_name: &str,
    dir: &std::path::Path,
    limit: u64,
) -> Result<(Received, tempfile::TempPath), FetchError> {
    let parsed = reqwest::Url::parse(url).map_err(|_| FetchError::BadAddress)?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(FetchError::BadAddress);
    }
    let res = http.get(parsed).send().await.map_err(|e| FetchError::Unreachable(e.to_string()))?;
    if !res.status().is_success() {
        return Err(FetchError::Status(res.status().as_u16()));
    }
    if res.content_length().is_some_and(|n| n > limit) {
        return Err(ReceiveError::TooLarge.into());
    }
    let mut res = res;
    let mut receiving = Receiving::start(dir, limit)?;
    while let Some(chunk) = res.chunk().await.map_err(|e| FetchError::Unreachable(e.to_string()))? {
        receiving.push(&chunk).await?;
    }
    Ok(receiving.finish(given_name).await?)
}
