use std::process::ExitCode;

use clap::Parser;
use motcua::app::Application;
use motcua::auth::accounts::{self, NewOfficial};
use motcua::auth::role::Role;
use motcua::cli::{CatalogueCommand, Cli, Command, UserCommand, WorkflowCommand};
use motcua::config::Settings;
use motcua::mock_national_portal::{MockPortal, MockSettings};
use motcua::{catalogue, db, seed, telemetry};

// Every request allocates and frees many small, short-lived values (query
// builders, rows, headers) across worker threads; glibc's allocator spent
// about a fifth of the portal's CPU on them under the workflow load (issue 21).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    match command {
        Command::Serve => return serve(settings).await,
        Command::MockNationalPortal { with_parent } => {
            let mock = MockPortal::build(MockSettings::from(&settings)).await?;
            println!("motcua: mock national portal listening on http://{}", mock.address);
            if with_parent {
                tokio::select! {
                    served = mock.server => served?,
                    () = parent_gone() => println!("motcua: the portal has ended; the mock national portal ends too"),
                }
            } else {
                mock.server.await?;
            }
            return Ok(());
        }
        Command::Workflow(WorkflowCommand::Check { dir }) => {
            let dir = dir.unwrap_or_else(motcua::app::workflows_dir);
            return match motcua::workflow::load::load_dir(&dir) {
                Ok(found) => {
                    for wf in found.values() {
                        println!(
                            "{}: {} v{} — {} states, {} actions, sha256 {}",
                            wf.key,
                            wf.name,
                            wf.version,
                            wf.states.len(),
                            wf.actions.len(),
                            &wf.hash[..12]
                        );
                    }
                    println!("motcua: {} workflows in {} are valid", found.len(), dir.display());
                    Ok(())
                }
                Err(problems) => {
                    for p in &problems {
                        eprintln!("{p}");
                    }
                    anyhow::bail!("{} problems in the workflows of {}", problems.len(), dir.display())
                }
            };
        }
        _ => {}
    }
    let db = db::connect(&settings).await?;
    db::migrate(&db).await?;
    match command {
        Command::Migrate => println!("database is up to date"),
        Command::Seed { sync_backlog: Some(n), .. } => {
            let codes = motcua::national_sync::backlog::queue(&db, n, 10, chrono::Utc::now()).await?;
            println!("{n} sync events of {} dossiers queued", codes.len());
        }
        Command::Seed { dossiers: Some(n), .. } => {
            seed::demo_if_empty(&db).await?;
            let registry = motcua::app::load_workflows(&db).await?;
            let started = std::time::Instant::now();
            let mut bar = |done: usize, total: usize| {
                let width = 30 * done / total.max(1);
                let rate = done as f64 / started.elapsed().as_secs_f64().max(0.001);
                eprint!("\r[{}{}] {done}/{total} dossiers, {rate:.0}/s   ", "#".repeat(width), ".".repeat(30 - width));
            };
            let seeded = seed::dossiers::generate(&db, &settings, &registry, n, chrono::Utc::now(), &mut bar).await?;
            eprintln!();
            println!(
                "{} dossiers with {} changes added in {:.1} s",
                seeded.dossiers,
                seeded.events,
                started.elapsed().as_secs_f64()
            );
        }
        Command::Seed { synthetic: None, .. } => {
            let loaded = seed::demo_if_empty(&db).await?;
            println!("{}", if loaded { "demo catalogue loaded" } else { "catalogue not empty; nothing loaded" });
        }
        Command::Seed { synthetic: Some(n), .. } => {
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
            match catalogue::transfer::import(
                &db,
                parsed,
                &motcua::audit::Actor::system("dòng lệnh"),
                chrono::Utc::now(),
            )
            .await
            {
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
        Command::User(UserCommand::Create { username, roles, unit, full_name }) => {
            let roles = roles
                .iter()
                .map(|r| Role::parse(r.trim()).ok_or_else(|| anyhow::anyhow!("unknown role {r:?}")))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let mut password = String::new();
            std::io::stdin().read_line(&mut password)?;
            let new = NewOfficial {
                full_name: full_name.unwrap_or_else(|| username.clone()),
                username,
                email: None,
                unit_code: unit,
                roles,
                password: password.trim_end_matches(['\r', '\n']).to_owned(),
                shared_hash: false,
            };
            match accounts::create_official(&db, new, chrono::Utc::now()).await {
                Ok(created) => {
                    let actor = motcua::audit::Actor::system("dòng lệnh");
                    let detail = serde_json::json!({"roles": created.roles});
                    motcua::audit::record(
                        &db,
                        &actor,
                        "official_created",
                        &created.label(),
                        detail,
                        chrono::Utc::now(),
                    )
                    .await?;
                    println!("created {}", created.label());
                }
                Err(motcua::error::AppError::Validation(errors)) => {
                    for e in &errors {
                        eprintln!("{}: {}", e.field, e.code);
                    }
                    anyhow::bail!("account not created");
                }
                Err(e) => return Err(e.into()),
            }
        }
        Command::SyncDrain => {
            let started = std::time::Instant::now();
            let total = motcua::national_sync::worker::drain(&db, &settings.national_sync, &Default::default()).await?;
            println!(
                "national sync: {} delivered, {} failed attempts, {} dead, in {} ms",
                total.delivered,
                total.failed,
                total.dead,
                started.elapsed().as_millis()
            );
        }
        // Long-running commands were started above, before any one-off connection was opened.
        Command::SweepDeadlines => {
            let started = std::time::Instant::now();
            let now = chrono::Utc::now();
            let report = motcua::deadlines::sweep(&db, now).await?;
            let state = motcua::app::job_state(db.clone(), settings.clone()).await?;
            let closed = motcua::dossier::expiry::close_unanswered(&state, now).await?;
            println!(
                "due soon: {}, overdue: {}, not accepted in time: {}, notices: {}, closed without supplement: {}, in {} ms",
                report.due_soon,
                report.overdue,
                report.unaccepted,
                report.notices,
                closed,
                started.elapsed().as_millis()
            );
        }
        Command::Serve | Command::MockNationalPortal { .. } | Command::Workflow(_) => {}
    }
    Ok(())
}

/// Resolves when standard input reaches its end: the parent holding the
/// pipe's other end has ended (even by `kill -9`, when the kernel closes it).
async fn parent_gone() {
    use tokio::io::AsyncReadExt;
    let mut stdin = tokio::io::stdin();
    let mut buf = [0u8; 64];
    while matches!(stdin.read(&mut buf).await, Ok(n) if n > 0) {}
}

/// Serves the portal; with the mock national portal switched on, it is
/// started alongside as a child process that ends with the portal: it
/// watches a pipe this process holds open (and is killed on a clean exit).
async fn serve(settings: Settings) -> anyhow::Result<()> {
    let _mock = if settings.mock_national_portal {
        let child = tokio::process::Command::new(std::env::current_exe()?)
            .args(["mock-national-portal", "--with-parent"])
            .stdin(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()?;
        println!("motcua: mock national portal starting on http://{}", settings.mock_national_portal_listen);
        Some(child)
    } else {
        None
    };
    let host = settings.listen.ip();
    let application = Application::build(settings).await?;
    println!("motcua: cổng dịch vụ công đang chạy tại / portal listening on http://{host}:{}", application.port);
    application.server.await?;
    Ok(())
}
