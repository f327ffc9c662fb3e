//! Objects as files under one directory. A file is written under a
//! temporary name and renamed into place, so a crash never leaves half a file
//! under a real key.

use std::path::{Path, PathBuf};

use super::StorageError;

#[derive(Debug, Clone)]
pub struct LocalStore {
    root: PathBuf,
}

impl LocalStore {
    pub fn new(root: impl Into<PathBuf>) -> Result<LocalStore, StorageError> {
        let root = root.into();
        std::fs::create_dir_all(&root)?;
        Ok(LocalStore { root })
    }

    fn path(&self, key: &str) -> PathBuf {
        self.root.join(key)
    }

    fn missing(key: &str, e: std::io::Error) -> StorageError {
        if e.kind() == std::io::ErrorKind::NotFound {
            StorageError::NotFound(key.to_owned())
        } else {
            StorageError::Io(e)
        }
    }

    /// Stores the file at `source` as `key`. The source must not be written
    /// again: on the same file system it becomes the object itself (a second
    /// name for it, not a copy: a submission's files are written once). One
    /// task on the blocking pool does it all, not one per file operation.
    pub async fn put_file(&self, key: &str, source: &Path) -> Result<(), StorageError> {
        let (target, source) = (self.path(key), source.to_owned());
        let partial =
            target.with_extension(format!("partial-{}", crate::random::token().map_err(std::io::Error::other)?));
        let put = move || -> std::io::Result<()> {
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            if std::fs::hard_link(&source, &partial).is_err() {
                // Another file system (or one without links): a copy.
                std::fs::copy(&source, &partial)?;
            }
            std::fs::File::open(&partial)?.sync_all()?;
            std::fs::rename(&partial, &target)
        };
        tokio::task::spawn_blocking(put).await.map_err(std::io::Error::other)??;
        Ok(())
    }

    /// Where the object `key` lives on disk, for streaming it out.
    pub fn file_path(&self, key: &str) -> PathBuf {
        self.path(key)
    }

    pub async fn get(&self, key: &str) -> Result<bytes::Bytes, StorageError> {
        tokio::fs::read(self.path(key)).await.map(bytes::Bytes::from).map_err(|e| Self::missing(key, e))
    }

    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match tokio::fs::remove_file(self.path(key)).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
            _ => Ok(()),
        }
    }
}
