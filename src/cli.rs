//! The command line: `motcua [serve|migrate|seed|catalogue …|user create|workflow check|mock-national-portal|sync-drain|sweep-deadlines]`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "motcua", version, about = "Cổng dịch vụ công một cửa điện tử — one-stop public-service portal")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the portal (the default): migrate, load demo data if enabled, listen.
    Serve,
    /// Bring the database schema up to date and exit.
    Migrate,
    /// Load demo data: the demo catalogue, or N synthetic procedures.
    Seed {
        /// Add this many synthetic procedures (for benchmarks) instead of the demo catalogue.
        #[arg(long)]
        synthetic: Option<usize>,
        /// Queue this many national sync events of made-up dossiers (for the delivery benchmark).
        #[arg(long, conflicts_with = "synthetic")]
        sync_backlog: Option<usize>,
        /// Add this many dossiers that lived through the portal's workflow over the past year
        /// (histories, supplements, payments, ratings, the national records), loading the demo
        /// catalogue first if the portal has none.
        #[arg(long, conflicts_with_all = ["synthetic", "sync_backlog"])]
        dossiers: Option<usize>,
    },
    /// Import or export the catalogue as one JSON file.
    #[command(subcommand)]
    Catalogue(CatalogueCommand),
    /// Run the mock national portal (single sign-on) on MOTCUA_MOCK_NATIONAL_PORTAL_LISTEN.
    MockNationalPortal {
        /// End when standard input closes: the portal that started this
        /// process holds the other end, so the mock ends with it, however it ends.
        #[arg(long, hide = true)]
        with_parent: bool,
    },
    /// Manage official and admin accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Workflow definitions.
    #[command(subcommand)]
    Workflow(WorkflowCommand),
    /// Deliver the national sync events that are due now, then exit, printing
    /// what was delivered (the portal's workers do this continuously).
    SyncDrain,
    /// Run one deadline sweep now (the scheduler runs one every five minutes) and print what changed.
    SweepDeadlines,
}

#[derive(Debug, Subcommand)]
pub enum WorkflowCommand {
    /// Check every workflow file of DIR (default: the portal's workflows/) and print the report.
    Check { dir: Option<PathBuf> },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an official; the password is read from the first line of standard input.
    Create {
        #[arg(long)]
        username: String,
        /// reception, specialist, leader or admin; repeat or separate by commas for several.
        #[arg(long = "role", required = true, value_delimiter = ',')]
        roles: Vec<String>,
        /// The code of the official's unit (agency).
        #[arg(long)]
        unit: Option<String>,
        #[arg(long = "name")]
        full_name: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum CatalogueCommand {
    /// Write the whole catalogue to FILE (`-` for standard output).
    Export { file: PathBuf },
    /// Add or replace agencies, fields and procedures from FILE, all or nothing.
    Import { file: PathBuf },
}
