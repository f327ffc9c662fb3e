//! For every route of the route table, every persona gets exactly the access
//! the table declares: through, sent to sign in, or refused. The table is
//! also what registers the routes, so a new route cannot escape this test.

use motcua::web::access::Access;
use motcua::web::routes::TABLE;
use reqwest::{Method, StatusCode};

use crate::helpers::{ADMIN, TestApp, location};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Persona {
    Anonymous,
    Citizen,
    Business,
    Reception,
    Specialist,
    Leader,
    Admin,
}

#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Through,
    SignIn,
    Refused,
}

/// What the table promises, written out here rather than asked of the app.
fn expected(access: Access, who: Persona) -> Outcome {
    use Persona::*;
    let applicant = matches!(who, Citizen | Business);
    match (access, who) {
        (Access::Public, _) => Outcome::Through,
        (_, Anonymous) => Outcome::SignIn,
        (Access::Applicant, _) if applicant => Outcome::Through,
        (Access::Official, _) if !applicant => Outcome::Through,
        (Access::Staff(roles), _) if !applicant => {
            let role = match who {
                Reception => "reception",
                Specialist => "specialist",
                Leader => "leader",
                _ => "admin",
            };
            if roles.iter().any(|r| r.as_str() == role) { Outcome::Through } else { Outcome::Refused }
        }
        _ => Outcome::Refused,
    }
}

fn observed(path: &str, res: &reqwest::Response) -> Outcome {
    let status = res.status();
    let to_sign_in = status == StatusCode::SEE_OTHER && {
        let target = location(res);
        target.starts_with("/dang-nhap?") || target.starts_with("/can-bo/dang-nhap?")
    };
    match status {
        StatusCode::FORBIDDEN => Outcome::Refused,
        StatusCode::UNAUTHORIZED if path.starts_with("/api/") => Outcome::SignIn,
        _ if to_sign_in => Outcome::SignIn,
        _ => Outcome::Through,
    }
}

#[tokio::test]
async fn every_route_gives_every_persona_exactly_its_access() {
    let app = TestApp::spawn_with_sso().await;
    let official_id = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let found = entity::account::Entity::find()
            .filter(entity::account::Column::Username.eq("chuyenvien"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        found.id.to_string()
    };
    let personas = [
        Persona::Anonymous,
        Persona::Citizen,
        Persona::Business,
        Persona::Reception,
        Persona::Specialist,
        Persona::Leader,
        Persona::Admin,
    ];
    // Routes that end the session go last, so each persona stays signed in throughout.
    let mut routes: Vec<_> = TABLE.iter().collect();
    routes.sort_by_key(|r| match r.path {
        "/can-bo/dang-xuat-moi-noi" => 1,
        "/dang-xuat" => 2,
        _ => 0,
    });
    let mut failures = Vec::new();
    for who in personas {
        let client = match who {
            Persona::Admin => app.admin().await.clone(),
            _ => TestApp::new_client(),
        };
        match who {
            Persona::Anonymous | Persona::Admin => {}
            Persona::Citizen => {
                assert_eq!(app.sso_sign_in_with(&client, "le-hoang-cuong").await.status(), StatusCode::SEE_OTHER)
            }
            Persona::Business => {
                assert_eq!(
                    app.sso_sign_in_with(&client, "cong-ty-buu-chinh-viet").await.status(),
                    StatusCode::SEE_OTHER
                )
            }
            Persona::Reception => {
                assert_eq!(
                    app.sign_in_with(&client, "tiepnhan", crate::helpers::PASSWORD).await.status(),
                    StatusCode::SEE_OTHER
                )
            }
            Persona::Specialist => {
                assert_eq!(
                    app.sign_in_with(&client, "chuyenvien", crate::helpers::PASSWORD).await.status(),
                    StatusCode::SEE_OTHER
                )
            }
            Persona::Leader => {
                assert_eq!(
                    app.sign_in_with(&client, "lanhdao", crate::helpers::PASSWORD).await.status(),
                    StatusCode::SEE_OTHER
                )
            }
        }
        let mut token = app.csrf_of(&client).await;
        for route in &routes {
            if route.path == "/dang-xuat" {
                // "Sign out everywhere" just ended the session and its CSRF token with it.
                token = app.csrf_of(&client).await;
            }
            let path = route.path.replace("{code}", "1.004227").replace("{id}", &official_id);
            let method = Method::from_bytes(route.method.as_bytes()).unwrap();
            let request = client.request(method.clone(), app.url(&path));
            // A well-behaved client: the CSRF token in the form and in the header,
            // so that a 403 can only mean the route refuses this person.
            let request = match method {
                Method::GET => request,
                Method::PUT => request.header("X-CSRF-Token", token.as_str()).json(&serde_json::json!({})),
                _ => request.header("X-CSRF-Token", token.as_str()).form(&[("_csrf", token.as_str())]),
            };
            let res = request.send().await.unwrap();
            if res.status().is_server_error() {
                failures.push(format!("{who:?} {} {path}: server error {}", route.method, res.status()));
                continue;
            }
            let (want, got) = (expected(route.access, who), observed(&path, &res));
            if want != got {
                failures.push(format!(
                    "{who:?} {} {path}: expected {want:?}, got {got:?} ({})",
                    route.method,
                    res.status()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
    assert!(TABLE.len() >= 40, "the table lists the portal's routes");
    assert_eq!(ADMIN, "quantri.test");
}

/// The table itself must not open a door by mistake: admin areas are for
/// admins, an official's pages for officials, an applicant's for applicants.
#[test]
fn the_route_table_keeps_each_area_for_its_people() {
    for route in TABLE {
        let p = route.path;
        let want = if p.starts_with("/quan-tri") || p.starts_with("/api/v1/admin") {
            Some(motcua::web::access::ADMIN)
        } else if p.starts_with("/can-bo") && p != "/can-bo/dang-nhap" {
            // Officials' pages: for any official, or for those with a desk role.
            let desk =
                matches!(route.access, Access::Staff(roles) if !roles.contains(&motcua::auth::role::Role::Admin));
            assert!(route.access == Access::Official || desk, "{} {p}", route.method);
            None
        } else if p.starts_with("/tai-khoan") || p.starts_with("/ho-so") {
            Some(Access::Applicant)
        } else {
            None
        };
        if let Some(want) = want {
            assert_eq!(route.access, want, "{} {p}", route.method);
        }
    }
}
