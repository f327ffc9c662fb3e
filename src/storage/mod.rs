//! Where uploaded documents and issued results are kept: a local directory
//! (the embedded default) or an S3-compatible object store (production).
//! Both variants are real and tested; callers never see which one runs.
//!
//! Files arrive as temporary files that the upload code has already checked
//! and hashed, so neither backend ever holds a whole large file in memory.

mod local;
mod s3;

use std::path::Path;
use std::time::Duration;

pub use local::LocalStore;
pub use s3::{S3Settings, S3Store};

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("object not found: {0}")]
    NotFound(String),
    #[error("invalid object key: {0}")]
    BadKey(String),
    #[error("storage I/O: {0}")]
    Io(#[from] std::io::Error),
    #[error("object store: {0}")]
    Remote(String),
}

#[derive(Debug, Clone)]
pub enum Storage {
    Local(LocalStore),
    S3(S3Store),
}

/// Keys are relative paths of safe segments (`dossiers/42/abc.pdf`), so a
/// key can never climb out of the local directory or surprise S3.
pub fn check_key(key: &str) -> Result<(), StorageError> {
    let ok = !key.is_empty()
        && key.len() <= 512
        && key.split('/').all(|segment| {
            !segment.is_empty()
                && segment != "."
                && segment != ".."
                && segment.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        });
    if ok { Ok(()) } else { Err(StorageError::BadKey(key.to_owned())) }
}

impl Storage {
    /// Stores the file at `source` under `key`, replacing any object there.
    pub async fn put_file(&self, key: &str, source: &Path, content_type: &str) -> Result<(), StorageError> {
        check_key(key)?;
        match self {
            Storage::Local(store) => store.put_file(key, source).await,
            Storage::S3(store) => store.put_file(key, source, content_type).await,
        }
    }

    pub async fn get(&self, key: &str) -> Result<bytes::Bytes, StorageError> {
        check_key(key)?;
        match self {
            Storage::Local(store) => store.get(key).await,
            Storage::S3(store) => store.get(key).await,
        }
    }

    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        check_key(key)?;
        match self {
            Storage::Local(store) => store.delete(key).await,
            Storage::S3(store) => store.delete(key).await,
        }
    }

    /// A short-lived URL a browser may fetch the object from directly, where
    /// the backend offers one; otherwise the portal streams the file itself.
    pub async fn presigned_get(&self, key: &str, ttl: Duration) -> Result<Option<String>, StorageError> {
        check_key(key)?;
        match self {
            Storage::Local(_) => Ok(None),
            Storage::S3(store) => store.presigned_get(key, ttl).await.map(Some),
        }
    }

    /// The file of `key` when objects are local files (streamed from disk).
    pub fn local_path(&self, key: &str) -> Result<Option<std::path::PathBuf>, StorageError> {
        check_key(key)?;
        Ok(match self {
            Storage::Local(store) => Some(store.file_path(key)),
            _ => None,
        })
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Storage::Local(_) => "local",
            Storage::S3(_) => "s3",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check_key;

    #[test]
    fn keys_cannot_escape_or_surprise() {
        assert!(check_key("dossiers/42/4f2a.pdf").is_ok());
        for bad in ["", "/abs", "a//b", "../etc/passwd", "a/../b", "a/./b", "tên.pdf", "a b", "a\\b"] {
            assert!(check_key(bad).is_err(), "{bad:?}");
        }
    }
}
