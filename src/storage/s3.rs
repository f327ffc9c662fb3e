//! Objects in an S3-compatible store through the AWS SDK, with a rustls/ring
//! HTTPS client (no aws-lc, no hyper 0.14). Endpoint, region, bucket, path
//! style and credentials all come from configuration.

use std::path::Path;
use std::time::Duration;

use aws_sdk_s3::Client;
use aws_sdk_s3::config::{Credentials, Region};
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;
use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};

use super::StorageError;

#[derive(Debug, Clone)]
pub struct S3Settings {
    pub endpoint: Option<String>,
    pub region: String,
    pub bucket: String,
    pub path_style: bool,
    pub access_key_id: String,
    pub secret_access_key: String,
}

#[derive(Debug, Clone)]
pub struct S3Store {
    client: Client,
    bucket: String,
}

fn remote(e: impl std::fmt::Display) -> StorageError {
    StorageError::Remote(e.to_string())
}

impl S3Store {
    pub fn new(settings: &S3Settings) -> S3Store {
        let http =
            aws_smithy_http_client::Builder::new().tls_provider(Provider::Rustls(CryptoMode::Ring)).build_https();
        let credentials =
            Credentials::new(&settings.access_key_id, &settings.secret_access_key, None, None, "motcua-settings");
        let mut config = aws_sdk_s3::Config::builder()
            .behavior_version_latest()
            .http_client(http)
            .region(Region::new(settings.region.clone()))
            .credentials_provider(credentials)
            .force_path_style(settings.path_style);
        if let Some(endpoint) = &settings.endpoint {
            config = config.endpoint_url(endpoint);
        }
        S3Store { client: Client::from_conf(config.build()), bucket: settings.bucket.clone() }
    }

    /// Creates the bucket unless it exists (for the embedded setups and tests;
    /// production buckets are provisioned by operators).
    pub async fn ensure_bucket(&self) -> Result<(), StorageError> {
        if self.client.head_bucket().bucket(&self.bucket).send().await.is_ok() {
            return Ok(());
        }
        self.client.create_bucket().bucket(&self.bucket).send().await.map_err(remote)?;
        Ok(())
    }

    pub async fn put_file(&self, key: &str, source: &Path, content_type: &str) -> Result<(), StorageError> {
        let body = ByteStream::from_path(source).await.map_err(remote)?;
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .body(body)
            .send()
            .await
            .map_err(remote)?;
        Ok(())
    }

    pub async fn get(&self, key: &str) -> Result<bytes::Bytes, StorageError> {
        let object = self.client.get_object().bucket(&self.bucket).key(key).send().await.map_err(|e| {
            if e.as_service_error().is_some_and(|s| s.is_no_such_key()) {
                StorageError::NotFound(key.to_owned())
            } else {
                remote(e)
            }
        })?;
        Ok(object.body.collect().await.map_err(remote)?.into_bytes())
    }

    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        self.client.delete_object().bucket(&self.bucket).key(key).send().await.map_err(remote)?;
        Ok(())
    }

    pub async fn presigned_get(&self, key: &str, ttl: Duration) -> Result<String, StorageError> {
        let config = PresigningConfig::expires_in(ttl).map_err(remote)?;
        let request = self.client.get_object().bucket(&self.bucket).key(key).presigned(config).await.map_err(remote)?;
        Ok(request.uri().to_string())
    }
}
