//! A file arriving in pieces (a multipart upload, a download), streamed to a
//! temporary file — never held whole in memory — hashed on the way, and
//! stopped as soon as it passes its limit; at the end its kind is told from
//! its content, and only a kind a dossier accepts is kept.

use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

use super::kind::DocumentKind;
use super::name::sanitize;
use super::store::Received;

/// Bytes kept from the start and read from the end of a file to tell its kind.
const HEAD_BYTES: usize = 16;
const TAIL_BYTES: u64 = 64 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ReceiveError {
    #[error("too large")]
    TooLarge,
    #[error("empty")]
    Empty,
    #[error("not a kind a dossier takes")]
    UnsupportedType,
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// What is written to the temporary file at once: a usual scan (a few
/// hundred KB) in one write, not one per piece of the request body.
const WRITE_BUFFER: usize = 256 * 1024;

pub struct Receiving {
    temp: tempfile::NamedTempFile,
    out: tokio::io::BufWriter<tokio::fs::File>,
    size: u64,
    limit: u64,
    hasher: Sha256,
    head: Vec<u8>,
}

impl Receiving {
    /// A new temporary file in `dir` for at most `limit` bytes.
    pub fn start(dir: &std::path::Path, limit: u64) -> Result<Receiving, ReceiveError> {
        std::fs::create_dir_all(dir)?;
        let temp = tempfile::Builder::new().prefix("upload-").tempfile_in(dir)?;
        let out = tokio::io::BufWriter::with_capacity(WRITE_BUFFER, tokio::fs::File::from_std(temp.reopen()?));
        Ok(Receiving { temp, out, size: 0, limit, hasher: Sha256::new(), head: Vec::with_capacity(HEAD_BYTES) })
    }

    pub async fn push(&mut self, chunk: &[u8]) -> Result<(), ReceiveError> {
        self.size += chunk.len() as u64;
        if self.size > self.limit {
            return Err(ReceiveError::TooLarge);
        }
        if self.head.len() < HEAD_BYTES {
            let take = HEAD_BYTES - self.head.len();
            self.head.extend(chunk.iter().take(take));
        }
        self.hasher.update(chunk);
        self.out.write_all(chunk).await?;
        Ok(())
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// The file received in full, named after `given`; its temporary copy
    /// goes when the returned path is dropped.
    pub async fn finish(mut self, given: &str) -> Result<(Received, tempfile::TempPath), ReceiveError> {
        self.out.flush().await?;
        if self.size == 0 {
            return Err(ReceiveError::Empty);
        }
        let mut tail = Vec::new();
        // Only a ZIP (a Word document?) is told by its end: the file is read again for it alone.
        if DocumentKind::needs_tail(&self.head) {
            let mut reader = tokio::fs::File::open(self.temp.path()).await?;
            reader.seek(std::io::SeekFrom::Start(self.size.saturating_sub(TAIL_BYTES))).await?;
            reader.read_to_end(&mut tail).await?;
        }
        let kind = DocumentKind::detect(&self.head, &tail).ok_or(ReceiveError::UnsupportedType)?;
        let path = self.temp.into_temp_path();
        let received = Received {
            path: path.to_path_buf(),
            size: self.size,
            sha256: crate::digest::hex(&self.hasher.finalize()),
            kind,
            file_name: sanitize(given, kind.extension()),
        };
        Ok((received, path))
    }
}
