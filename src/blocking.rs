//! Work that holds a CPU for milliseconds (argon2, PDF layout) runs on
//! tokio's blocking pool, so that it does not stall the other requests
//! served by the same worker thread.

use crate::error::AppError;

pub async fn run<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("blocking task failed: {e}")))
}
