//! The load generator of the submission and workflow benchmarks
//! (`tests/bench/submissions.py`, `tests/bench/workflow_actions.py`; issue 21).
//!
//! The Python scripts sign in and prepare the dossiers, then hand this
//! program a plan: who is signed in (cookie and CSRF token) and what to send.
//! It sends the timed load itself: one keep-alive connection per worker, on
//! one thread, so the generator takes little of the two cores the portal and
//! PostgreSQL share (the Python loops opened a connection per request and
//! took a fifth of a core). It prints the figures as the scripts did.
//!
//!     cargo run --release --example loadgen -- PLAN.json

use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
struct Plan {
    portal: String,
    pid: u32,
    workers: usize,
    seconds: f64,
    #[serde(flatten)]
    load: Load,
}

#[derive(Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
enum Load {
    /// Each worker's applicant sends the same two-file dossier again and again.
    Submissions { sessions: Vec<Session>, body_file: String, content_type: String },
    /// The specialist submits each dossier for approval, the leader sends it back, and again.
    Workflow { specialist: Session, leader: Session, dossiers: Vec<Dossier> },
}

#[derive(Deserialize, Clone)]
struct Session {
    cookie: String,
    csrf: String,
}

#[derive(Deserialize, Clone)]
struct Dossier {
    id: String,
    version: i64,
}

/// What one worker saw.
#[derive(Default)]
struct Seen {
    latencies: Vec<f64>,
    statements: Vec<u32>,
    errors: Vec<String>,
}

impl Seen {
    fn answered(&mut self, started: Instant, res: &reqwest::Response) {
        self.latencies.push(started.elapsed().as_secs_f64());
        if let Some(n) = statements(res) {
            self.statements.push(n);
        }
    }

    async fn failed(&mut self, res: Result<reqwest::Response, reqwest::Error>) {
        let text = match res {
            Ok(res) => format!(
                "{} {}",
                res.status(),
                res.text().await.unwrap_or_default().chars().take(200).collect::<String>()
            ),
            Err(e) => e.to_string(),
        };
        self.errors.push(text);
    }
}

/// The SQL statements behind a response, from `Server-Timing` (`MOTCUA_SERVER_TIMING=on`).
fn statements(res: &reqwest::Response) -> Option<u32> {
    let value = res.headers().get("server-timing")?.to_str().ok()?;
    value.split("desc=\"").nth(1)?.split(' ').next()?.parse().ok()
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(1)
        .timeout(Duration::from_secs(120))
        .build()
        .expect("an HTTP client")
}

async fn submissions(
    portal: &str,
    index: usize,
    session: Session,
    body: bytes::Bytes,
    content_type: &str,
    deadline: Instant,
) -> Seen {
    let (http, mut seen, url) = (client(), Seen::default(), format!("{portal}/api/v1/dossiers"));
    let mut n = 0;
    while Instant::now() < deadline {
        n += 1;
        let started = Instant::now();
        let res = http
            .post(&url)
            .header("Cookie", &session.cookie)
            .header("X-CSRF-Token", &session.csrf)
            .header("Content-Type", content_type)
            .header("Idempotency-Key", format!("bench-{index}-{n}"))
            .body(body.clone())
            .send()
            .await;
        match res {
            Ok(res) if res.status() == 201 => {
                seen.answered(started, &res);
                let _ = res.bytes().await;
            }
            other => seen.failed(other).await,
        }
    }
    seen
}

/// The form of a step, as a browser sends it (multipart).
fn step_form(csrf: &str, version: i64, extra: (&str, &str)) -> Vec<u8> {
    let mut body = String::new();
    for (name, value) in [("_csrf", csrf), ("version", &version.to_string()), extra] {
        body.push_str(&format!(
            "--motcua-bench-step\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str("--motcua-bench-step--\r\n");
    body.into_bytes()
}

async fn workflow(portal: &str, specialist: Session, leader: Session, mine: Vec<Dossier>, deadline: Instant) -> Seen {
    let (http, mut seen) = (client(), Seen::default());
    let mut open = mine;
    let mut turn = 0;
    while Instant::now() < deadline && !open.is_empty() {
        let mut kept = Vec::with_capacity(open.len());
        for mut d in open {
            if Instant::now() >= deadline {
                kept.push(d);
                continue;
            }
            let (who, action, extra) = if turn % 2 == 0 {
                (&specialist, "trinh_phe_duyet", ("note", "Đủ điều kiện"))
            } else {
                (&leader, "tra_lai_tham_dinh", ("reason", "Xem lại hồ sơ"))
            };
            let started = Instant::now();
            let res = http
                .post(format!("{portal}/can-bo/ho-so/{}/xu-ly/{action}", d.id))
                .header("Cookie", &who.cookie)
                .header("Content-Type", "multipart/form-data; boundary=motcua-bench-step")
                .body(step_form(&who.csrf, d.version, extra))
                .send()
                .await;
            match res {
                Ok(res) if res.status() == 303 => {
                    seen.answered(started, &res);
                    let _ = res.bytes().await;
                    d.version += 1;
                    kept.push(d);
                }
                // A dossier whose step failed leaves the loop, as the Python loop did.
                other => seen.failed(other).await,
            }
        }
        open = kept;
        turn += 1;
    }
    seen
}

/// CPU time (user + system) of process `pid`, from /proc (in USER_HZ, 100 a second on Linux).
fn cpu_seconds(pid: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
    let tick = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) / 100.0
}

fn peak_rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        .unwrap_or(0.0);
    (kib / 1024.0 * 10.0).round() / 10.0
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let path = std::env::args().nth(1).expect("usage: loadgen PLAN.json");
    let plan: Plan = serde_json::from_str(&std::fs::read_to_string(path).expect("the plan")).expect("a plan");
    let portal = plan.portal.clone();
    let since = (cpu_seconds("self"), cpu_seconds(&plan.pid.to_string()));
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(plan.seconds);
    let mut tasks = tokio::task::JoinSet::new();
    let counted = match &plan.load {
        Load::Submissions { sessions, body_file, content_type } => {
            let body = bytes::Bytes::from(std::fs::read(body_file).expect("the request body"));
            for (index, session) in sessions.iter().cloned().enumerate().take(plan.workers) {
                let (portal, body, content_type) = (portal.clone(), body.clone(), content_type.clone());
                tasks.spawn(async move { submissions(&portal, index, session, body, &content_type, deadline).await });
            }
            "submitted"
        }
        Load::Workflow { specialist, leader, dossiers } => {
            for w in 0..plan.workers {
                let mine: Vec<Dossier> = dossiers.iter().skip(w).step_by(plan.workers).cloned().collect();
                let (portal, specialist, leader) = (portal.clone(), specialist.clone(), leader.clone());
                tasks.spawn(async move { workflow(&portal, specialist, leader, mine, deadline).await });
            }
            "actions"
        }
    };
    let mut all = Seen::default();
    while let Some(seen) = tasks.join_next().await {
        let seen = seen.expect("a worker");
        all.latencies.extend(seen.latencies);
        all.statements.extend(seen.statements);
        all.errors.extend(seen.errors);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let share = |now: f64, then: f64| ((now - then) / elapsed * 100.0).round();
    let (generator, portal_cpu) =
        (share(cpu_seconds("self"), since.0), share(cpu_seconds(&plan.pid.to_string()), since.1));
    all.latencies.sort_by(f64::total_cmp);
    let pick = |q: f64| {
        let n = all.latencies.len();
        if n == 0 { f64::NAN } else { (all.latencies[((q * n as f64) as usize).min(n - 1)] * 10000.0).round() / 10.0 }
    };
    let sql = match all.statements.len() {
        0 => None,
        n => Some((all.statements.iter().map(|&s| f64::from(s)).sum::<f64>() / n as f64 * 10.0).round() / 10.0),
    };
    let round1 = |x: f64| (x * 10.0).round() / 10.0;
    let mut out = json!({
        "workers": plan.workers,
        "errors": all.errors.len(),
        "seconds": round1(elapsed),
        "per_second": round1(all.latencies.len() as f64 / elapsed),
        "p50_ms": pick(0.50),
        "p99_ms": pick(0.99),
        "peak_rss_mib": peak_rss_mib(plan.pid),
        "sql_per_request": sql,
        "generator_cpu_pct": generator,
        "portal_cpu_pct": portal_cpu,
        "generator": "rust",
        "first_errors": all.errors.iter().take(3).collect::<Vec<_>>(),
    });
    out[counted] = json!(all.latencies.len());
    println!("{out}");
}
