//! Schema migrations, one per change (`mYYYYMMDD_NNNNNN_name.rs`), each with up
//! and down. They run at start-up and by `motcua migrate`.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_catalogue;
mod m20261123_000002_identity;
mod m20261123_000003_outbox;
mod m20261123_000004_dossier_sequence;
mod m20261123_000005_upload;
mod m20261123_000006_dossier;
mod m20261123_000007_workflow_version;
mod m20261123_000008_dossier_processing;
mod m20261123_000009_deadline_watch;
mod m20261123_000010_work_calendar;
mod m20261123_000011_lifecycle_policies;
mod m20261123_000012_payment;
mod m20261202_000013_ended_session;
mod m20261202_000014_one_open_payment;
mod m20261202_000015_one_lifecycle;
mod m20261202_000016_ordered_outbox;
mod m20261202_000017_procedure_proposal;
mod m20261202_000018_national_client;
mod m20261203_000019_supplement_receipt;
mod m20261203_000020_no_account_lock;
mod m20261203_000021_rating;
mod m20261203_000022_statistics_indexes;
mod m20261206_000023_dossier_facts;
mod m20261206_000024_sla_rules;
mod m20261206_000025_statistics_scan;
mod m20261206_000026_workflows_in_portal;
mod m20261206_000027_procedure_step_budget;
mod m20261207_000028_catalogue_counter;
mod m20261207_000029_assignee_load;
mod m20261208_000030_event_index;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_catalogue::Migration),
            Box::new(m20261123_000002_identity::Migration),
            Box::new(m20261123_000003_outbox::Migration),
            Box::new(m20261123_000004_dossier_sequence::Migration),
            Box::new(m20261123_000005_upload::Migration),
            Box::new(m20261123_000006_dossier::Migration),
            Box::new(m20261123_000007_workflow_version::Migration),
            Box::new(m20261123_000008_dossier_processing::Migration),
            Box::new(m20261123_000009_deadline_watch::Migration),
            Box::new(m20261123_000010_work_calendar::Migration),
            Box::new(m20261123_000011_lifecycle_policies::Migration),
            Box::new(m20261123_000012_payment::Migration),
            Box::new(m20261202_000013_ended_session::Migration),
            Box::new(m20261202_000014_one_open_payment::Migration),
            Box::new(m20261202_000015_one_lifecycle::Migration),
            Box::new(m20261202_000016_ordered_outbox::Migration),
            Box::new(m20261202_000017_procedure_proposal::Migration),
            Box::new(m20261202_000018_national_client::Migration),
            Box::new(m20261203_000019_supplement_receipt::Migration),
            Box::new(m20261203_000020_no_account_lock::Migration),
            Box::new(m20261203_000021_rating::Migration),
            Box::new(m20261203_000022_statistics_indexes::Migration),
            Box::new(m20261206_000023_dossier_facts::Migration),
            Box::new(m20261206_000024_sla_rules::Migration),
            Box::new(m20261206_000025_statistics_scan::Migration),
            Box::new(m20261206_000026_workflows_in_portal::Migration),
            Box::new(m20261206_000027_procedure_step_budget::Migration),
            Box::new(m20261207_000028_catalogue_counter::Migration),
            Box::new(m20261207_000029_assignee_load::Migration),
            Box::new(m20261208_000030_event_index::Migration),
        ]
    }
}
