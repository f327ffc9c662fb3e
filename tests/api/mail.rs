//! E-mail leaves through the outbox: written with the change, delivered by
//! the worker, to files by default or to a real SMTP server.

use reqwest::StatusCode;

use crate::helpers::{Options, TestApp, decode_entities};
use crate::services::service;

async fn queue_test_mail(app: &TestApp, to: &str) {
    let res = app.post_form_with(app.admin().await, "/quan-tri/thu-dien-tu", &[("to", to)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

async fn mail_page(app: &TestApp) -> String {
    crate::helpers::get_html_with(app.admin().await, &app.url("/quan-tri/thu-dien-tu")).await.1
}

#[tokio::test]
async fn a_queued_mail_is_written_as_a_file_by_default() {
    let app = TestApp::spawn_empty().await;
    queue_test_mail(&app, "kiemtra@example.vn").await;
    assert!(mail_page(&app).await.contains("Đang chờ gửi"), "queued, not yet sent");
    assert_eq!(app.drain_outbox().await, 1);
    assert_eq!(app.drain_outbox().await, 0, "sent once");
    let dir = app.data_dir().join("mail");
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1);
    let eml = std::fs::read_to_string(&files[0]).unwrap();
    assert!(eml.contains("To: kiemtra@example.vn"));
    assert!(eml.contains("multipart/alternative"));
    assert!(mail_page(&app).await.contains("Đã gửi"));
}

#[tokio::test]
async fn a_bad_address_is_refused_and_nothing_is_queued() {
    let app = TestApp::spawn_empty().await;
    let res = app.post_form_with(app.admin().await, "/quan-tri/thu-dien-tu", &[("to", "khong phai dia chi")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(decode_entities(&res.text().await.unwrap()).contains("Địa chỉ thư điện tử không hợp lệ."));
    assert_eq!(app.drain_outbox().await, 0);
}

#[tokio::test]
async fn mail_reaches_a_real_smtp_server() {
    let (Some(_), Some(maildir)) = (service("MOTCUA_TEST_SMTP"), service("MOTCUA_TEST_SMTP_MAILDIR")) else { return };
    let app = TestApp::spawn_with(Options { press_office: false, smtp: true, ..Options::default() }).await;
    let mut token = [0u8; 6];
    getrandom::fill(&mut token).unwrap();
    let to = format!("nguoinhan-{}@example.vn", token.iter().map(|b| format!("{b:02x}")).collect::<String>());
    queue_test_mail(&app, &to).await;
    assert_eq!(app.drain_outbox().await, 1);
    let delivered = std::fs::read_dir(std::path::Path::new(&maildir).join("new"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .any(|message| message.contains(&to));
    assert!(delivered, "the sink received the message for {to}");
}

#[tokio::test]
async fn an_smtp_outage_keeps_the_mail_and_shows_the_error() {
    let app = TestApp::spawn_with(Options { press_office: false, ..Options::default() }).await;
    // A portal whose SMTP server is down: nothing listens on this port.
    let dead = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let settings = motcua::config::MailSettings {
        transport: motcua::config::MailTransport::Smtp {
            host: "127.0.0.1".into(),
            port: dead,
            tls: motcua::config::SmtpTls::None,
            username: None,
            password: None,
        },
        from: app.state.settings.mail.from.clone(),
    };
    let down = motcua::notify::Mailer::new(&settings).unwrap();
    queue_test_mail(&app, "chocho@example.vn").await;
    let sent = motcua::notify::worker::run_once(&app.db, &down, &settings.from, app.now()).await.unwrap();
    assert_eq!(sent, 0);
    let page = mail_page(&app).await;
    assert!(page.contains("Đang chờ gửi") && page.contains("<td>1</td>"), "still pending after one attempt");
    // When the server is back, the next pass after the back-off delivers it.
    let later = app.now() + chrono::Duration::minutes(5);
    let from = &app.state.settings.mail.from;
    assert_eq!(motcua::notify::worker::run_once(&app.db, &app.state.mailer, from, later).await.unwrap(), 1);
}
