//! Opening payment orders: one open order per dossier however many clicks,
//! an abandoned order asked about and closed before a new one, and money the
//! gateway took beyond what is owed recorded as an overpayment and refunded.

use reqwest::StatusCode;

use crate::dossier_support::*;
use crate::helpers::{TestApp, get_html_with, location};
use crate::payments::{events, pay_at, payments_of, start};

#[tokio::test]
async fn four_clicks_at_once_on_pay_open_one_order_and_all_go_to_it() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (id, _) = submitted_press_card(&app, &app.client).await;
    let csrf = app.csrf_of(&app.client).await;
    let click =
        || app.client.post(app.url(&format!("/ho-so/{id}/thanh-toan"))).form(&[("_csrf", csrf.as_str())]).send();
    let answers = futures_util::future::join_all((0..4).map(|_| click())).await;
    let mut gateways: Vec<String> = answers
        .into_iter()
        .map(|r| {
            let r = r.unwrap();
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "every click goes to the gateway");
            location(&r)
        })
        .collect();
    gateways.dedup();
    assert_eq!(gateways.len(), 1, "the same order every time");
    assert_eq!(payments_of(&app, &id).await.len(), 1, "one order");
    assert_eq!(events(&app, &id, "payment_started").await, 1);
    // Paid once; nothing more can be started.
    assert!(pay_at(&app, &gateways[0], "success").await.contains("Đã thanh toán"));
    assert_eq!(start(&app, &id).await.status(), StatusCode::CONFLICT, "nothing more is owed");
}

#[tokio::test]
async fn the_database_refuses_a_second_open_order_for_a_dossier() {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (id, _) = submitted_press_card(&app, &app.client).await;
    assert_eq!(start(&app, &id).await.status(), StatusCode::SEE_OTHER);
    let first = payments_of(&app, &id).await.remove(0);
    let mut second: entity::payment::ActiveModel = first.clone().into();
    second.id = sea_orm::ActiveValue::NotSet;
    second.txn_ref = Set(format!("{}X", first.txn_ref));
    assert!(second.insert(&app.db).await.is_err(), "a unique index allows one pending payment per dossier");
}

#[tokio::test]
async fn an_abandoned_order_is_asked_about_and_closed_before_a_new_one_and_paying_it_late_is_refunded_as_overpaid() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (id, _) = submitted_press_card(&app, &app.client).await;
    let res = start(&app, &id).await;
    let abandoned = location(&res);
    // The citizen left the gateway's page; twenty minutes later they try again.
    app.state.clock.advance(chrono::Duration::minutes(20));
    let res = start(&app, &id).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let fresh = location(&res);
    assert_ne!(fresh, abandoned, "a new order");
    let mut payments = payments_of(&app, &id).await;
    payments.sort_by_key(|p| p.id);
    let statuses: Vec<&str> = payments.iter().map(|p| p.status.as_str()).collect();
    assert_eq!(statuses, ["expired", "pending"], "the old one asked about and closed first");
    assert_eq!(events(&app, &id, "payment_expired").await, 1);
    // The old page was still open in another tab, and the gateway took the money there.
    assert!(pay_at(&app, &abandoned, "success").await.contains("Đã thanh toán"), "money taken is never ignored");
    // Then the new order is paid too: twice the fee, the second is an overpayment to refund.
    pay_at(&app, &fresh, "success").await;
    let payments = payments_of(&app, &id).await;
    assert!(payments.iter().all(|p| p.status.as_str() == "paid"));
    let overpaid: Vec<_> = payments.iter().filter(|p| p.overpaid_vnd > 0).collect();
    assert_eq!(overpaid.len(), 1);
    assert_eq!((overpaid[0].overpaid_vnd, overpaid[0].refund_status.as_str()), (100_000, "requested"));
    assert_eq!(events(&app, &id, "payment_overpaid").await, 1);
    let reception = official(&app, "tiepnhan").await;
    let (_, list) = get_html_with(&reception, &app.url("/can-bo/thanh-toan")).await;
    assert!(list.contains("Thanh toán thừa (hoàn trả): 100.000 đ"), "officials see it");
    let day = motcua::sla::local_time::to_local(app.now()).date();
    let (_, report) = get_html_with(app.admin().await, &app.url(&format!("/quan-tri/doi-soat?day={day}"))).await;
    let row = &report[report.find("data-status=\"overpaid\"").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("<td>1</td>") && row.contains("100.000 đ"), "{row}");
    // The refund goes to the gateway; what was paid for the dossier is the fee, once.
    motcua::payment::reconcile::run(&app.state, app.now()).await.unwrap();
    let refunded = payments_of(&app, &id).await.into_iter().find(|p| p.overpaid_vnd > 0).unwrap();
    assert_eq!((refunded.refund_status.as_str(), refunded.refunded_vnd), ("refunded", 100_000));
    assert_eq!(motcua::payment::paid_vnd(&app.db, state_of(&app, &id).await.id).await.unwrap(), 100_000);
}
