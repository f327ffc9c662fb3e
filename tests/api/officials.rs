//! Officials sign in with a password; admins manage their accounts.

use motcua::auth::role::Role;
use reqwest::StatusCode;
use sea_orm::EntityTrait;

use crate::helpers::{PASSWORD, TestApp, decode_entities, location, password_of};

#[tokio::test]
async fn an_official_signs_in_with_a_password() {
    let app = TestApp::spawn().await;
    app.sign_in_official("chuyenvien").await;
    let (status, html) = app.get_html("/can-bo").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Phạm Văn Minh"));
    assert!(html.contains("Chuyên viên thụ lý"));
}

#[tokio::test]
async fn the_session_cookie_is_protected_and_renewed_at_sign_in() {
    let app = TestApp::spawn().await;
    let res = app.get("/can-bo/dang-nhap").await;
    let before = res.headers().get("set-cookie").map(|c| c.to_str().unwrap().to_owned()).unwrap();
    assert!(before.contains("HttpOnly") && before.contains("SameSite=Lax"), "{before}");
    let res = app.sign_in_with(&app.client, "lanhdao", password_of("lanhdao")).await;
    let after = res.headers().get("set-cookie").map(|c| c.to_str().unwrap().to_owned()).unwrap();
    assert_ne!(before.split(';').next(), after.split(';').next(), "a new session at sign-in");
}

#[tokio::test]
async fn unknown_users_and_wrong_passwords_get_the_same_answer() {
    let app = TestApp::spawn().await;
    let unknown = app.sign_in_with(&app.client, "khong-co-ai", password_of("chuyenvien")).await;
    let wrong = app.sign_in_with(&app.client, "chuyenvien", "mat-khau-sai-123").await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (a, b) = (unknown.text().await.unwrap(), wrong.text().await.unwrap());
    assert!(decode_entities(&a).contains("Tên đăng nhập hoặc mật khẩu không đúng."));
    assert!(decode_entities(&b).contains("Tên đăng nhập hoặc mật khẩu không đúng."));
}

#[tokio::test]
async fn five_wrong_passwords_make_that_address_wait_for_that_name_alike_for_real_and_unknown_names() {
    let app = TestApp::spawn().await;
    let app = &app;
    let try_as = |name: &'static str, password: &'static str| async move {
        let res = app.sign_in_with(&app.client, name, password).await;
        (res.status(), decode_entities(&res.text().await.unwrap()))
    };
    for name in ["tiepnhan", "khong-co-ai"] {
        let mut answers = Vec::new();
        for _ in 0..5 {
            answers.push(try_as(name, "doan-mo-mat-khau").await);
        }
        assert!(answers.iter().all(|(s, _)| *s == StatusCode::UNPROCESSABLE_ENTITY), "{name}: five plain refusals");
        let (status, page) = try_as(name, "doan-mo-mat-khau").await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{name}: the sixth waits");
        assert!(page.contains("Quá nhiều lần đăng nhập"), "{name}");
        assert!(!page.contains("khóa"), "{name}: nothing says an account exists or is locked");
    }
    // The same answers for the real and the unknown name, word for word.
    let real = try_as("tiepnhan", "doan-mo-mat-khau").await;
    let unknown = try_as("khong-co-ai", "doan-mo-mat-khau").await;
    assert_eq!((real.0, real.1.replace("tiepnhan", "")), (unknown.0, unknown.1.replace("khong-co-ai", "")));
    // The official at their own desk (another address of the loopback range) signs in at once.
    let desk = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .build()
        .unwrap();
    let res = app.sign_in_with(&desk, "tiepnhan", password_of("tiepnhan")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "a stranger cannot lock the official out");
    let log = app.audit_page("sign_in_throttled").await;
    assert!(log.contains("tiepnhan") && log.contains("khong-co-ai"));
}

#[tokio::test]
async fn sign_in_never_redirects_to_another_site() {
    let app = TestApp::spawn().await;
    let token = app.csrf_of(&app.client).await;
    let form = [
        ("username", "lanhdao"),
        ("password", password_of("lanhdao")),
        ("next", "//evil.example/x"),
        ("_csrf", &token),
    ];
    let res = app.client.post(app.url("/can-bo/dang-nhap")).form(&form).send().await.unwrap();
    assert_eq!(location(&res), "/can-bo");
}

#[tokio::test]
async fn a_sign_in_post_without_csrf_token_is_refused() {
    let app = TestApp::spawn().await;
    let form = [("username", "lanhdao"), ("password", password_of("lanhdao"))];
    let res = app.client.post(app.url("/can-bo/dang-nhap")).form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get("/can-bo").await.status(), StatusCode::SEE_OTHER, "not signed in");
}

#[tokio::test]
async fn an_official_changes_their_password() {
    let app = TestApp::spawn().await;
    app.sign_in_official("lanhdao").await;
    let other_device = TestApp::new_client();
    assert_eq!(
        app.sign_in_with(&other_device, "lanhdao", password_of("lanhdao")).await.status(),
        StatusCode::SEE_OTHER
    );

    let res = app
        .post_form(
            "/can-bo/mat-khau",
            &[
                ("current_password", "sai"),
                ("new_password", "mot cau moi du dai"),
                ("confirm_password", "mot cau moi du dai"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(decode_entities(&res.text().await.unwrap()).contains("Mật khẩu hiện tại không đúng."));
    let res = app
        .post_form(
            "/can-bo/mat-khau",
            &[("current_password", password_of("lanhdao")), ("new_password", "ngan"), ("confirm_password", "ngan")],
        )
        .await;
    assert!(decode_entities(&res.text().await.unwrap()).contains("ít nhất 10 ký tự"));
    let res = app
        .post_form(
            "/can-bo/mat-khau",
            &[
                ("current_password", password_of("lanhdao")),
                ("new_password", "mot cau moi du dai"),
                ("confirm_password", "khac"),
            ],
        )
        .await;
    assert!(decode_entities(&res.text().await.unwrap()).contains("không khớp"));

    let res = app
        .post_form(
            "/can-bo/mat-khau",
            &[
                ("current_password", password_of("lanhdao")),
                ("new_password", "mot cau moi du dai"),
                ("confirm_password", "mot cau moi du dai"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get("/can-bo").await.status(), StatusCode::OK, "this session carries on");
    assert_eq!(
        other_device.get(app.url("/can-bo")).send().await.unwrap().status(),
        StatusCode::SEE_OTHER,
        "the other one ends"
    );
    let fresh = TestApp::new_client();
    assert_eq!(
        app.sign_in_with(&fresh, "lanhdao", password_of("lanhdao")).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(app.sign_in_with(&fresh, "lanhdao", "mot cau moi du dai").await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn sign_out_everywhere_ends_every_session() {
    let app = TestApp::spawn().await;
    app.sign_in_official("chuyenvien").await;
    let laptop = TestApp::new_client();
    assert_eq!(
        app.sign_in_with(&laptop, "chuyenvien", password_of("chuyenvien")).await.status(),
        StatusCode::SEE_OTHER
    );
    let res = app.post_form_with(&laptop, "/can-bo/dang-xuat-moi-noi", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get("/can-bo").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(laptop.get(app.url("/can-bo")).send().await.unwrap().status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let app = TestApp::spawn().await;
    app.sign_in_official("chuyenvien").await;
    assert_eq!(app.post_form("/dang-xuat", &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get("/can-bo").await.status(), StatusCode::SEE_OTHER);
}

/// Sends `method path` with exactly the cookies `cookie` (no cookie store).
async fn replay(app: &TestApp, cookie: &reqwest::header::HeaderValue, method: reqwest::Method, path: &str) -> u16 {
    let raw = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let req = raw.request(method, app.url(path)).header(reqwest::header::COOKIE, cookie.clone());
    req.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn an_officials_cookie_replayed_after_signing_out_opens_nothing() {
    use reqwest::cookie::CookieStore;
    let app = TestApp::spawn().await;
    let (browser, jar) = TestApp::new_client_with_jar();
    assert_eq!(
        app.sign_in_with(&browser, "chuyenvien", password_of("chuyenvien")).await.status(),
        StatusCode::SEE_OTHER
    );
    let token = app.csrf_of(&browser).await;
    let cookie = jar.cookies(&app.url("/").parse().unwrap()).expect("a session cookie");
    assert_eq!(replay(&app, &cookie, reqwest::Method::GET, "/can-bo/ho-so").await, 200, "the cookie works before");
    let other = TestApp::new_client();
    assert_eq!(app.sign_in_with(&other, "chuyenvien", password_of("chuyenvien")).await.status(), StatusCode::SEE_OTHER);
    let form = [("_csrf", token.as_str())];
    assert_eq!(browser.post(app.url("/dang-xuat")).form(&form).send().await.unwrap().status(), StatusCode::SEE_OTHER);
    assert_eq!(replay(&app, &cookie, reqwest::Method::GET, "/can-bo/ho-so").await, 303, "sent to sign in");
    assert_eq!(replay(&app, &cookie, reqwest::Method::GET, "/can-bo").await, 303);
    let raw = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let comment = raw
        .post(app.url("/can-bo/ho-so/1/y-kien"))
        .header(reqwest::header::COOKIE, cookie.clone())
        .form(&[("_csrf", token.as_str()), ("text", "Ý kiến sau khi đã đăng xuất")])
        .send()
        .await
        .unwrap();
    assert!(matches!(comment.status().as_u16(), 303 | 403), "{}", comment.status());
    assert_eq!(entity::dossier_event::Entity::find().all(&app.db).await.unwrap().len(), 0, "no comment written");
    assert_eq!(other.get(app.url("/can-bo")).send().await.unwrap().status(), StatusCode::OK, "only that session ended");
}

#[tokio::test]
async fn an_applicants_cookie_replayed_after_signing_out_opens_nothing() {
    use reqwest::cookie::CookieStore;
    let app = TestApp::spawn_with_sso().await;
    let (browser, jar) = TestApp::new_client_with_jar();
    assert_eq!(app.sso_sign_in_with(&browser, "nguyen-van-an").await.status(), StatusCode::SEE_OTHER);
    let token = app.csrf_of(&browser).await;
    let cookie = jar.cookies(&app.url("/").parse().unwrap()).expect("a session cookie");
    assert_eq!(replay(&app, &cookie, reqwest::Method::GET, "/api/v1/dossiers").await, 200, "the cookie works before");
    let form = [("_csrf", token.as_str())];
    assert_eq!(browser.post(app.url("/dang-xuat")).form(&form).send().await.unwrap().status(), StatusCode::SEE_OTHER);
    assert_eq!(replay(&app, &cookie, reqwest::Method::GET, "/api/v1/dossiers").await, 401);
    assert_eq!(replay(&app, &cookie, reqwest::Method::GET, "/ho-so").await, 303, "sent to sign in");
}

#[tokio::test]
async fn an_admin_creates_an_official_who_can_then_sign_in() {
    let app = TestApp::spawn().await;
    let bad = app
        .post_form_with(
            app.admin().await,
            "/quan-tri/can-bo",
            &[("username", "Có Dấu"), ("full_name", "A"), ("password", "ngan"), ("unit_code", "KHONG.CO")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = decode_entities(&bad.text().await.unwrap());
    for message in
        ["Tên đăng nhập 3–64 ký tự", "Chọn ít nhất một vai trò", "ít nhất 10 ký tự", "Không tồn tại trong danh mục."]
    {
        assert!(html.contains(message), "{message}");
    }
    let fields = [
        ("username", "chuyenvien2"),
        ("full_name", "Ngô Thị Hạnh"),
        ("email", "hanh@example.gov.vn"),
        ("unit_code", "000.01.00.G12"),
        ("roles", "specialist"),
        ("roles", "leader"),
        ("password", "mat khau ban dau 2026"),
    ];
    assert_eq!(
        app.post_form_with(app.admin().await, "/quan-tri/can-bo", &fields).await.status(),
        StatusCode::SEE_OTHER
    );
    let again = app.post_form_with(app.admin().await, "/quan-tri/can-bo", &fields).await;
    assert!(decode_entities(&again.text().await.unwrap()).contains("Mã này đã được dùng."));
    assert_eq!(
        app.sign_in_with(&app.client, "chuyenvien2", "mat khau ban dau 2026").await.status(),
        StatusCode::SEE_OTHER
    );
    let (_, home) = app.get_html("/can-bo").await;
    assert!(home.contains("Ngô Thị Hạnh") && home.contains("Chuyên viên thụ lý") && home.contains("Lãnh đạo"));
}

#[tokio::test]
async fn a_role_change_takes_effect_at_once_and_a_disabled_official_is_out() {
    let app = TestApp::spawn().await;
    let id = app.create_official("pho.phong", &[Role::Admin], Some("000.01.00.G12")).await;
    app.sign_in_official("pho.phong").await;
    assert_eq!(app.get("/quan-tri/thu-tuc").await.status(), StatusCode::OK);
    let path = format!("/quan-tri/can-bo/{id}");
    let res = app
        .post_form_with(
            app.admin().await,
            &path,
            &[("full_name", "Phó phòng"), ("unit_code", "000.01.00.G12"), ("roles", "leader"), ("active", "on")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get("/quan-tri/thu-tuc").await.status(), StatusCode::SEE_OTHER, "the old session ended");
    app.sign_in_official("pho.phong").await;
    assert_eq!(app.get("/quan-tri/thu-tuc").await.status(), StatusCode::FORBIDDEN, "no admin role any more");
    let res = app
        .post_form_with(
            app.admin().await,
            &path,
            &[("full_name", "Phó phòng"), ("unit_code", "000.01.00.G12"), ("roles", "leader")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.sign_in_with(&app.client, "pho.phong", PASSWORD).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "disabled"
    );
}

#[tokio::test]
async fn the_command_line_creates_an_official() {
    let app = TestApp::spawn().await;
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(["user", "create", "--username", "vanthu", "--role", "reception,specialist", "--unit", "000.01.00.G12"])
        .env("MOTCUA_DATABASE_URL", &app.database_url)
        .env("MOTCUA_DATA_DIR", app.data_dir())
        .env("MOTCUA_DEMO_DATA", "off")
        .env("MOTCUA_SSO_CLIENT_SECRET", "test-sso-secret-0123456789")
        .env("MOTCUA_VNPAY_HASH_SECRET", crate::helpers::VNPAY_SECRET)
        .env("MOTCUA_NATIONAL_SYNC_CLIENT_SECRET", crate::helpers::SYNC_SECRET)
        .env("MOTCUA_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use tokio::io::AsyncWriteExt;
    child.stdin.take().unwrap().write_all(b"mat khau van thu 2026\n").await.unwrap();
    let out = child.wait_with_output().await.unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(app.sign_in_with(&app.client, "vanthu", "mat khau van thu 2026").await.status(), StatusCode::SEE_OTHER);
    let (_, home) = app.get_html("/can-bo").await;
    assert!(home.contains("Một cửa (tiếp nhận)") && home.contains("Chuyên viên thụ lý"));
}

#[tokio::test]
async fn sign_in_attempts_from_one_address_are_limited() {
    let app = TestApp::spawn().await;
    // 20 attempts per address in 5 minutes.
    for i in 1..=20 {
        let status = app.sign_in_with(&app.client, &format!("doan-ten-{i}"), "mat-khau-doan-bua").await.status();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "attempt {i}");
    }
    let res = app.sign_in_with(&app.client, "lanhdao", password_of("lanhdao")).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "even a right password waits for the window");
    assert!(decode_entities(&res.text().await.unwrap()).contains("Quá nhiều lần đăng nhập"));
}

#[tokio::test]
async fn the_last_active_admin_cannot_be_removed() {
    let app = TestApp::spawn_empty().await;
    let id = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        entity::account::Entity::find()
            .filter(entity::account::Column::Username.eq(crate::helpers::ADMIN))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .id
    };
    let path = format!("/quan-tri/can-bo/{id}");
    let demote = [("full_name", "Quản trị"), ("unit_code", ""), ("roles", "leader"), ("active", "on")];
    let res = app.post_form_with(app.admin().await, &path, &demote).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(decode_entities(&res.text().await.unwrap()).contains("quản trị viên cuối cùng"));
    let disable = [("full_name", "Quản trị"), ("unit_code", ""), ("roles", "admin")];
    assert_eq!(app.post_form_with(app.admin().await, &path, &disable).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        crate::helpers::get_html_with(app.admin().await, &app.url("/quan-tri/can-bo")).await.0,
        StatusCode::OK,
        "still an admin"
    );
    // With a second admin, the first may step down.
    app.create_official("quantri.hai", &[Role::Admin], None).await;
    assert_eq!(app.post_form_with(app.admin().await, &path, &demote).await.status(), StatusCode::SEE_OTHER);
}
