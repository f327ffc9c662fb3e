//! The rows a batch of synthetic dossiers writes, in multi-row inserts under
//! both engines' limits on bound values, with explicit ids where children
//! are written in the same batch.

use chrono::{DateTime, Duration, Utc};
use entity::dossier;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbBackend, EntityTrait, Statement};

use crate::error::AppError;

/// Rows per multi-row insert.
pub const ROWS: usize = 400;

/// The next free id of a table, for rows whose children are written in the same batch.
pub async fn next_id(db: &impl ConnectionTrait, table: &str) -> Result<i64, AppError> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) AS m FROM {table}"),
        ))
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no max id of {table}")))?;
    Ok(row.try_get::<i64>("", "m")? + 1)
}

/// PostgreSQL's sequences continue after the ids written here.
pub async fn catch_up_sequences(db: &impl ConnectionTrait) -> Result<(), AppError> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for table in ["dossier", "upload", "rating", "account"] {
        db.execute_raw(Statement::from_string(
            DbBackend::Postgres,
            format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"
            ),
        ))
        .await?;
    }
    Ok(())
}

/// Everything one batch writes.
#[derive(Default)]
pub struct Rows {
    pub dossiers: Vec<dossier::ActiveModel>,
    pub events: Vec<entity::dossier_event::ActiveModel>,
    pub rounds: Vec<entity::supplement_round::ActiveModel>,
    pub pauses: Vec<entity::dossier_pause::ActiveModel>,
    pub uploads: Vec<entity::upload::ActiveModel>,
    pub documents: Vec<entity::dossier_document::ActiveModel>,
    pub payments: Vec<entity::payment::ActiveModel>,
    pub outbox: Vec<entity::outbox::ActiveModel>,
    pub ratings: Vec<entity::rating::ActiveModel>,
    pub answers: Vec<entity::rating_answer::ActiveModel>,
}

macro_rules! insert_all {
    ($txn:expr, $rows:expr, $entity:ty) => {
        for chunk in std::mem::take(&mut $rows).chunks(ROWS) {
            <$entity>::insert_many(chunk.to_vec()).exec_without_returning($txn).await?;
        }
    };
}

impl Rows {
    pub async fn write(&mut self, txn: &impl ConnectionTrait) -> Result<(), AppError> {
        insert_all!(txn, self.uploads, entity::upload::Entity);
        insert_all!(txn, self.dossiers, dossier::Entity);
        insert_all!(txn, self.events, entity::dossier_event::Entity);
        insert_all!(txn, self.rounds, entity::supplement_round::Entity);
        insert_all!(txn, self.pauses, entity::dossier_pause::Entity);
        insert_all!(txn, self.documents, entity::dossier_document::Entity);
        insert_all!(txn, self.payments, entity::payment::Entity);
        insert_all!(txn, self.outbox, entity::outbox::Entity);
        insert_all!(txn, self.ratings, entity::rating::Entity);
        insert_all!(txn, self.answers, entity::rating_answer::Entity);
        Ok(())
    }
}

pub fn upload_row(id: i64, owner: i32, key: &str, at: DateTime<Utc>) -> entity::upload::ActiveModel {
    entity::upload::ActiveModel {
        id: Set(id),
        public_id: Set(format!("seed-upload-{id}")),
        owner_id: Set(owner),
        storage_key: Set(key.to_owned()),
        file_name: Set(key.rsplit('/').next().unwrap_or("tep.pdf").to_owned()),
        kind: Set("pdf".into()),
        size_bytes: Set(0),
        sha256: Set("0".repeat(64)),
        created_at: Set(at),
    }
}

pub fn payment_row(dossier: i64, amount: i64, gateway: bool, at: DateTime<Utc>) -> entity::payment::ActiveModel {
    use entity::payment::{PaymentMethod, PaymentStatus, RefundStatus};
    entity::payment::ActiveModel {
        dossier_id: Set(dossier),
        txn_ref: Set(format!("SEED{dossier:012}")),
        amount_vnd: Set(amount),
        status: Set(PaymentStatus::Paid),
        order_info: Set(format!("Thanh toan le phi ho so {dossier}")),
        created_at: Set(at),
        expires_at: Set(at + Duration::minutes(15)),
        settled_at: Set(Some(at)),
        pay_date: Set(Some(at)),
        refund_status: Set(RefundStatus::None),
        refunded_vnd: Set(0),
        overpaid_vnd: Set(0),
        created_by: Set(None),
        method: Set(if gateway { PaymentMethod::Gateway } else { PaymentMethod::Counter }),
        version: Set(0),
        ..Default::default()
    }
}
