use std::process::ExitCode;

use clap::Parser;
use motcua::app::Application;
use motcua::cli::{CatalogueCommand, Cli, Command};
use motcua::config::Settings;
use motcua::{catalogue, db, seed, telemetry};

#[actix_web::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(errors) => {
            eprintln!("motcua: invalid settings:");
            for e in errors {
                eprintln!("  - {e}");
            }
            return ExitCode::from(2);
        }
    };
    telemetry::init(settings.log_json);
    match run(cli.command.unwrap_or(Command::Serve), settings).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("motcua: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, settings: Settings) -> anyhow::Result<()> {
    if let Command::Serve = command {
        let host = settings.listen.ip();
        let application = Application::build(settings).await?;
        println!("motcua: cổng dịch vụ công đang chạy tại / portal listening on http://{host}:{}", application.port);
        application.server.await?;
        return Ok(());
    }
    let db = db::connect(&settings).await?;
    db::migrate(&db).await?;
    match command {
        Command::Migrate => println!("database is up to date"),
        Command::Seed { synthetic: None } => {
            let loaded = seed::demo_if_empty(&db).await?;
            println!("{}", if loaded { "demo catalogue loaded" } else { "catalogue not empty; nothing loaded" });
        }
        Command::Seed { synthetic: Some(n) } => {
            println!("{} synthetic procedures added", seed::synthetic(&db, n).await?)
        }
        Command::Catalogue(CatalogueCommand::Export { file }) => {
            let json = serde_json::to_string_pretty(&catalogue::transfer::export(&db).await?)?;
            if file.as_os_str() == "-" {
                println!("{json}");
            } else {
                std::fs::write(&file, json + "\n")?;
            }
        }
        Command::Catalogue(CatalogueCommand::Import { file }) => {
            let text = std::fs::read_to_string(&file)?;
            let parsed = serde_json::from_str(&text)?;
            match catalogue::transfer::import(&db, parsed, chrono::Utc::now()).await {
                Ok(s) => println!("imported {} agencies, {} fields, {} procedures", s.agencies, s.fields, s.procedures),
                Err(motcua::error::AppError::Validation(errors)) => {
                    for e in &errors {
                        eprintln!("{}: {}", e.field, e.code);
                    }
                    anyhow::bail!("{} errors; nothing imported", errors.len());
                }
                Err(e) => return Err(e.into()),
            }
        }
        // Served above, before any one-off connection was opened.
        Command::Serve => {}
    }
    Ok(())
}
