//! Citizens and businesses sign in through the national SSO (the mock
//! national portal, running as its own process).

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{Options, TestApp, get_html_with, location};

/// Starts a sign-in and stops at the mock's login page: (client, request id).
async fn reach_login_page(app: &TestApp) -> (reqwest::Client, String) {
    let client = TestApp::new_client();
    let res = client.get(app.url("/dang-nhap/dvcqg")).send().await.unwrap();
    let (_, page) = get_html_with(&client, &location(&res)).await;
    let request_id = page.split("name=\"request_id\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    (client, request_id)
}

async fn login_at_mock(app: &TestApp, client: &reqwest::Client, fields: &[(&str, &str)]) -> String {
    let mock = app.mock.as_ref().unwrap();
    let res = client.post(format!("{}/authenticationendpoint/login", mock.address)).form(fields).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    location(&res)
}

#[tokio::test]
async fn a_citizen_signs_in_through_the_national_sso() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (status, html) = app.get_html("/tai-khoan").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<dd>Nguyễn Văn An</dd>"));
    assert!(html.contains("••••••••2345"), "the ID number is masked");
    assert!(!html.contains("001090012345"), "the full ID number is never shown");
    assert!(html.contains("Đã xác thực VNeID</dt><dd>Có"));
}

#[tokio::test]
async fn a_business_signs_in_with_its_tax_code() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("cong-ty-sao-mai").await;
    let (_, html) = app.get_html("/tai-khoan").await;
    assert!(html.contains("Công ty TNHH Truyền thông Sao Mai"));
    assert!(html.contains("0101234567"));
}

#[tokio::test]
async fn a_later_sign_in_refreshes_details_but_keeps_the_account() {
    let app = TestApp::spawn_with_sso().await;
    for name in ["Đinh Thị Mai", "Đinh Thị Mai Anh"] {
        let (client, request_id) = reach_login_page(&app).await;
        let fields = [
            ("request_id", request_id.as_str()),
            ("kind", "citizen"),
            ("number", "036199001122"),
            ("name", name),
            ("email", "mai@example.vn"),
            ("phone", "0911000111"),
        ];
        let callback = login_at_mock(&app, &client, &fields).await;
        assert_eq!(client.get(callback).send().await.unwrap().status(), StatusCode::SEE_OTHER);
        let (_, html) = get_html_with(&client, &app.url("/tai-khoan")).await;
        assert!(html.contains(&format!("<dd>{name}</dd>")), "{name}");
    }
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let accounts = entity::account::Entity::find()
        .filter(entity::account::Column::SsoSubject.eq("custom-citizen-036199001122"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(accounts, 1);
}

#[tokio::test]
async fn two_first_sign_ins_of_the_same_new_citizen_at_once_both_succeed_with_one_account() {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let app = TestApp::spawn_with_sso().await;
    // Seven rounds of four tabs: within the 30 SSO starts an address may make in five minutes.
    for round in 0..7 {
        let number = format!("0011990{round:05}");
        // Four tabs of the same new citizen reach the portal's callback together.
        let mut tabs = Vec::new();
        for _ in 0..4 {
            let (client, request_id) = reach_login_page(&app).await;
            let fields =
                [("request_id", request_id.as_str()), ("kind", "citizen"), ("number", &number), ("name", "Vũ Thị Hoa")];
            let callback = login_at_mock(&app, &client, &fields).await;
            tabs.push((client, callback));
        }
        let answers = futures_util::future::join_all(tabs.iter().map(|(c, cb)| c.get(cb).send())).await;
        for answer in answers {
            assert_eq!(answer.unwrap().status(), StatusCode::SEE_OTHER, "every tab is signed in");
        }
        for (tab, _) in &tabs {
            assert_eq!(get_html_with(tab, &app.url("/tai-khoan")).await.0, StatusCode::OK);
        }
        let accounts = entity::account::Entity::find()
            .filter(entity::account::Column::SsoSubject.eq(format!("custom-citizen-{number}")))
            .count(&app.db)
            .await;
        assert_eq!(accounts.unwrap(), 1, "one account");
    }
}

#[tokio::test]
async fn a_tampered_state_is_refused() {
    let app = TestApp::spawn_with_sso().await;
    let (client, request_id) = reach_login_page(&app).await;
    let callback = login_at_mock(&app, &client, &[("request_id", &request_id), ("identity", "nguyen-van-an")]).await;
    let tampered = callback.replace("state=", "state=x");
    let res = client.get(tampered).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let html = crate::helpers::decode_entities(&res.text().await.unwrap());
    assert!(html.contains("Phiên đăng nhập không hợp lệ"));
    let res = client.get(app.url("/tai-khoan")).send().await.unwrap();
    assert_eq!(location(&res), "/dang-nhap?next=%2Ftai-khoan", "not signed in");
}

#[tokio::test]
async fn a_replayed_code_is_refused() {
    let app = TestApp::spawn_with_sso().await;
    let (client, request_id) = reach_login_page(&app).await;
    let callback = login_at_mock(&app, &client, &[("request_id", &request_id), ("identity", "tran-thi-binh")]).await;
    assert_eq!(client.get(&callback).send().await.unwrap().status(), StatusCode::SEE_OTHER, "first use signs in");
    let code = callback.split("code=").nth(1).unwrap().split('&').next().unwrap().to_owned();

    // Someone else replays the code inside a sign-in of their own.
    let (attacker, _) = reach_login_page(&app).await;
    let res = attacker.get(app.url("/dang-nhap/dvcqg")).send().await.unwrap();
    let state = location(&res).split("state=").nth(1).unwrap().split('&').next().unwrap().to_owned();
    let res =
        attacker.get(app.url(&format!("/dang-nhap/dvcqg/callback?code={code}&state={state}"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(crate::helpers::decode_entities(&res.text().await.unwrap()).contains("Mã xác thực không hợp lệ"));
    assert_eq!(attacker.get(app.url("/tai-khoan")).send().await.unwrap().status(), StatusCode::SEE_OTHER);
    // And the callback itself cannot be replayed: its state served once.
    let res = client.get(&callback).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let app = TestApp::spawn_with(Options { sso: true, code_ttl_secs: 0, ..Options::default() }).await;
    let res = app.sso_sign_in_with(&app.client, "nguyen-van-an").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(crate::helpers::decode_entities(&res.text().await.unwrap()).contains("đã hết hạn"));
    assert_eq!(app.get("/tai-khoan").await.status(), StatusCode::SEE_OTHER, "not signed in");
}

#[tokio::test]
async fn a_cancelled_sign_in_says_so() {
    let app = TestApp::spawn_with_sso().await;
    let (client, request_id) = reach_login_page(&app).await;
    let callback = login_at_mock(&app, &client, &[("request_id", &request_id), ("cancel", "1")]).await;
    assert!(callback.contains("error=access_denied"));
    let res = client.get(callback).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(crate::helpers::decode_entities(&res.text().await.unwrap()).contains("Bạn đã hủy đăng nhập"));
}

#[tokio::test]
async fn the_sso_checks_the_redirect_uri_exactly_and_requires_pkce() {
    let app = TestApp::spawn_with_sso().await;
    let mock = &app.mock.as_ref().unwrap().address;
    let client = TestApp::new_client();
    let portal_cb = app.url("/dang-nhap/dvcqg/callback");
    let base = format!(
        "{mock}/oauth2/authorize?response_type=code&client_id=motcua-demo&scope=openid&state=s&nonce=n&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
    );
    for wrong in ["http://evil.example/cb", &format!("{portal_cb}/"), &format!("{portal_cb}?x=1")] {
        let res = client.get(format!("{base}&redirect_uri={}", urlencode(wrong))).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{wrong}");
        assert!(res.headers().get("location").is_none(), "never redirects to an unregistered URI");
    }
    let no_pkce = format!(
        "{mock}/oauth2/authorize?response_type=code&client_id=motcua-demo&scope=openid&state=s&redirect_uri={}",
        urlencode(&portal_cb)
    );
    let res = client.get(no_pkce).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    assert!(location(&res).contains("error=invalid_request"));
    let res =
        client.get(format!("{base}&redirect_uri={}&client_id=other", urlencode(&portal_cb))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

fn urlencode(s: &str) -> String {
    motcua::web::render::urlencode(s)
}

#[tokio::test]
async fn the_token_endpoint_answers_with_oauth_errors() {
    let app = TestApp::spawn_with_sso().await;
    let mock = &app.mock.as_ref().unwrap().address;
    let client = TestApp::new_client();
    let token = |auth: (&'static str, &'static str), form: Vec<(&'static str, &'static str)>| {
        client.post(format!("{mock}/oauth2/token")).basic_auth(auth.0, Some(auth.1)).form(&form).send()
    };
    let res = token(("motcua-demo", "wrong-secret"), vec![("grant_type", "authorization_code"), ("code", "x")])
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "invalid_client");
    let res = token(
        ("motcua-demo", "test-sso-secret-0123456789"),
        vec![("grant_type", "authorization_code"), ("code", "made-up")],
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "invalid_grant");
    let res = token(("motcua-demo", "test-sso-secret-0123456789"), vec![("grant_type", "password")]).await.unwrap();
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "unsupported_grant_type");
    let res = client.get(format!("{mock}/oauth2/userinfo")).bearer_auth("made-up").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let (status, discovery) = {
        let res = client.get(format!("{mock}/.well-known/openid-configuration")).send().await.unwrap();
        (res.status(), res.json::<Value>().await.unwrap())
    };
    assert_eq!(status, StatusCode::OK);
    assert_eq!(discovery["issuer"], mock.as_str());
    assert_eq!(discovery["code_challenge_methods_supported"][0], "S256");
    assert_eq!(discovery["id_token_signing_alg_values_supported"], serde_json::json!(["RS256"]));
    let jwks: Value = client.get(discovery["jwks_uri"].as_str().unwrap()).send().await.unwrap().json().await.unwrap();
    assert_eq!(jwks["keys"][0]["kid"], "demo-sso-1");
    assert_eq!((jwks["keys"][0]["kty"].as_str(), jwks["keys"][0]["alg"].as_str()), (Some("RSA"), Some("RS256")));
}

#[tokio::test]
async fn the_portal_follows_the_providers_key_rotation() {
    let app = TestApp::spawn_with_sso().await;
    let mock = app.mock.as_ref().unwrap().address.clone();
    // Signed in under the first key: the portal has read the provider's keys.
    assert_eq!(app.sso_sign_in_with(&app.client, "nguyen-van-an").await.status(), StatusCode::SEE_OTHER);
    let res = reqwest::Client::new().post(format!("{mock}/_test/sso/rotate")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let jwks: Value = reqwest::get(format!("{mock}/oauth2/jwks")).await.unwrap().json().await.unwrap();
    assert_eq!(jwks["keys"][1]["kid"], "demo-sso-2", "the new key is published");
    // A token under the new key: the portal reads the keys again and takes it.
    let other = TestApp::new_client();
    assert_eq!(app.sso_sign_in_with(&other, "tran-thi-binh").await.status(), StatusCode::SEE_OTHER);
    let res = other.get(app.url("/ho-so")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "signed in");
}
