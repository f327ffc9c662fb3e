//! Settings of the services the portal talks to: where files are stored and
//! how e-mail leaves.

use std::path::{Path, PathBuf};

use super::settings::{Raw, parse_switch};

#[derive(Debug, Clone)]
pub enum StorageSettings {
    Local { dir: PathBuf },
    S3(crate::storage::S3Settings),
}

#[derive(Debug, Clone)]
pub enum MailTransport {
    /// One `.eml` file per message in this folder.
    File {
        dir: PathBuf,
    },
    Smtp {
        host: String,
        port: u16,
        tls: SmtpTls,
        username: Option<String>,
        password: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    None,
    StartTls,
    Tls,
}

#[derive(Debug, Clone)]
pub struct MailSettings {
    pub transport: MailTransport,
    /// The sender, e.g. `Cổng Dịch vụ công <no-reply@example.gov.vn>`.
    pub from: String,
}

pub(super) fn storage_settings(raw: &Raw, data_dir: &Path, errors: &mut Vec<String>) -> StorageSettings {
    let mut required = |name: &str, value: &Option<String>| {
        value.clone().filter(|v| !v.is_empty()).unwrap_or_else(|| {
            errors.push(format!("{name} is required when MOTCUA_STORAGE is s3"));
            String::new()
        })
    };
    match raw.storage.as_deref() {
        None | Some("local") => StorageSettings::Local {
            dir: raw.storage_dir.clone().map_or_else(|| data_dir.join("files"), PathBuf::from),
        },
        Some("s3") => {
            let bucket = required("MOTCUA_S3_BUCKET", &raw.s3_bucket);
            let access_key_id = required("MOTCUA_S3_ACCESS_KEY_ID", &raw.s3_access_key_id);
            let secret_access_key = required("MOTCUA_S3_SECRET_ACCESS_KEY", &raw.s3_secret_access_key);
            StorageSettings::S3(crate::storage::S3Settings {
                endpoint: raw.s3_endpoint.clone(),
                region: raw.s3_region.clone().unwrap_or_else(|| "us-east-1".into()),
                bucket,
                path_style: parse_switch("MOTCUA_S3_PATH_STYLE", raw.s3_path_style.clone(), false, errors),
                access_key_id,
                secret_access_key,
            })
        }
        Some(other) => {
            errors.push(format!("MOTCUA_STORAGE must be local or s3, not {other:?}"));
            StorageSettings::Local { dir: data_dir.join("files") }
        }
    }
}

pub(super) fn mail_settings(raw: &Raw, data_dir: &Path, errors: &mut Vec<String>) -> MailSettings {
    let from = raw.mail_from.clone().unwrap_or_else(|| "Cổng Dịch vụ công <no-reply@motcua.localhost>".into());
    if from.parse::<lettre::message::Mailbox>().is_err() {
        errors.push(format!("MOTCUA_MAIL_FROM is not an e-mail address: {from:?}"));
    }
    let transport = match raw.mail.as_deref() {
        None | Some("file") => {
            MailTransport::File { dir: raw.mail_dir.clone().map_or_else(|| data_dir.join("mail"), PathBuf::from) }
        }
        Some("smtp") => {
            let host = raw.smtp_host.clone().unwrap_or_else(|| {
                errors.push("MOTCUA_SMTP_HOST is required when MOTCUA_MAIL is smtp".into());
                String::new()
            });
            let tls = match raw.smtp_tls.as_deref() {
                None | Some("starttls") => SmtpTls::StartTls,
                Some("tls") => SmtpTls::Tls,
                Some("none") => SmtpTls::None,
                Some(other) => {
                    errors.push(format!("MOTCUA_SMTP_TLS must be none, starttls or tls, not {other:?}"));
                    SmtpTls::StartTls
                }
            };
            let default_port = if tls == SmtpTls::Tls { 465 } else { 587 };
            let port = match raw.smtp_port.as_deref().map(str::parse::<u16>) {
                None => default_port,
                Some(Ok(port)) => port,
                Some(Err(_)) => {
                    errors.push("MOTCUA_SMTP_PORT must be a port number".into());
                    default_port
                }
            };
            MailTransport::Smtp {
                host,
                port,
                tls,
                username: raw.smtp_username.clone(),
                password: raw.smtp_password.clone(),
            }
        }
        Some(other) => {
            errors.push(format!("MOTCUA_MAIL must be file or smtp, not {other:?}"));
            MailTransport::File { dir: data_dir.join("mail") }
        }
    };
    MailSettings { transport, from }
}
