//! Paying fees online through the gateway stub of the mock national portal
//! (its own process, speaking VNPay 2.1.0): paid end to end, cancel and
//! failure then a retry, a dropped IPN settled by reconciliation, a
//! duplicated IPN confirming once, forged, wrong-amount and unknown notices
//! refused with the gateway's codes and nothing changed, IPN and
//! reconciliation racing, and the refund of a refused dossier.

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

use crate::dossier_support::*;
use crate::helpers::{TestApp, VNPAY_SECRET, decode_entities, get_html_with, location};
use motcua::payment::vnpay::{self, Params};

pub async fn payments_of(app: &TestApp, id: &str) -> Vec<entity::payment::Model> {
    let d = state_of(app, id).await;
    entity::payment::Entity::find().filter(entity::payment::Column::DossierId.eq(d.id)).all(&app.db).await.unwrap()
}

pub async fn events(app: &TestApp, id: &str, action: &str) -> usize {
    let d = state_of(app, id).await;
    entity::dossier_event::Entity::find()
        .filter(entity::dossier_event::Column::DossierId.eq(d.id))
        .filter(entity::dossier_event::Column::Action.eq(action))
        .all(&app.db)
        .await
        .unwrap()
        .len()
}

async fn set_fault(app: &TestApp, ipn: &str, delay_secs: u32) {
    let mock = &app.mock.as_ref().expect("the mock national portal runs").address;
    let res = reqwest::Client::new()
        .post(format!("{mock}/_test/vnpay/faults"))
        .form(&[("ipn", ipn), ("delay_secs", &delay_secs.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
}

/// The applicant starts paying dossier `id`: the signed address of the gateway's page.
pub async fn start(app: &TestApp, id: &str) -> reqwest::Response {
    let csrf = app.csrf_of(&app.client).await;
    app.client.post(app.url(&format!("/ho-so/{id}/thanh-toan"))).form(&[("_csrf", csrf)]).send().await.unwrap()
}

/// The applicant signed in on `app.client` pays what dossier `id` owes, successfully.
pub async fn pay_in_full(app: &TestApp, id: &str) {
    let d = state_of(app, id).await;
    if motcua::dossier::money::owed_now(&app.db, &d).await.unwrap() == 0 {
        return;
    }
    let back = pay(app, id, "success").await;
    assert!(back.contains("Đã thanh toán"), "{back}");
}

/// Pays dossier `id` at the stub choosing `choice`; returns the return page's HTML.
async fn pay(app: &TestApp, id: &str, choice: &str) -> String {
    let res = start(app, id).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "off to the gateway");
    pay_at(app, &location(&res), choice).await
}

/// The payer at the gateway's page `gateway` chooses `choice`; returns the return page's HTML.
pub async fn pay_at(app: &TestApp, gateway: &str, choice: &str) -> String {
    let gateway = gateway.to_owned();
    assert!(gateway.starts_with(&app.mock.as_ref().unwrap().address), "{gateway}");
    // The payer's browser at the gateway: a client of its own, without the portal's cookies.
    let browser = TestApp::new_client();
    let (status, page) = get_html_with(&browser, &gateway).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let txn_ref = attribute(&page, "txn_ref");
    assert!(page.contains("100.000") || page.contains("VND"), "the amount is shown");
    let res = browser
        .post(format!("{}/paymentv2/pay", app.mock.as_ref().unwrap().address))
        .form(&[("txn_ref", txn_ref.as_str()), ("choice", choice)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let back = location(&res);
    assert!(back.starts_with(&app.url(motcua::payment::RETURN_PATH)), "{back}");
    let (status, page) = get_html_with(&app.client, &back).await;
    assert_eq!(status, StatusCode::OK);
    page
}

/// An IPN as the gateway would send it for `p`, signed with `secret`.
fn ipn_params(p: &entity::payment::Model, amount_vnd: i64, code: &str, secret: &str) -> String {
    let params: Params = [
        ("vnp_TmnCode", "MOTCUA01".to_owned()),
        ("vnp_Amount", vnpay::amount_field(amount_vnd)),
        ("vnp_BankCode", "NCB".into()),
        ("vnp_OrderInfo", p.order_info.clone()),
        ("vnp_PayDate", vnpay::time(chrono::Utc::now())),
        ("vnp_ResponseCode", code.into()),
        ("vnp_TransactionNo", "14012345".into()),
        ("vnp_TransactionStatus", code.into()),
        ("vnp_TxnRef", p.txn_ref.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    vnpay::signed_query(&params, secret)
}

async fn send_ipn(app: &TestApp, query: &str) -> Value {
    let res = reqwest::get(app.url(&format!("{}?{query}", motcua::payment::IPN_PATH))).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

#[tokio::test]
async fn a_dossier_fee_is_paid_end_to_end_with_its_e_receipt() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (id, code) = submitted_press_card(&app, &app.client).await;
    let (_, page) = app.get_html(&format!("/ho-so/{id}")).await;
    assert!(page.contains("100.000 đ") && page.contains("Thanh toán trực tuyến"), "the fee and the button");
    let back = pay(&app, &id, "success").await;
    assert!(back.contains("Đã thanh toán"), "{back}");
    let payments = payments_of(&app, &id).await;
    assert_eq!(payments.len(), 1);
    let p = &payments[0];
    assert_eq!((p.status.as_str(), p.amount_vnd), ("paid", 100_000));
    assert!(p.gateway_txn_no.is_some() && p.pay_date.is_some());
    assert_eq!(events(&app, &id, "payment_started").await + events(&app, &id, "payment_paid").await, 2);
    // The history says the amount as a Vietnamese reader writes it, and names people by name only.
    let history = entity::dossier_event::Entity::find()
        .filter(entity::dossier_event::Column::Action.eq("payment_paid"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(history.note.starts_with("Đã thanh toán 100.000 đ ("), "{}", history.note);
    let (_, page) = app.get_html(&format!("/ho-so/{id}")).await;
    assert!(!page.contains(" #"), "no account numbers on the page");
    let audit = entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Target.eq(p.txn_ref.clone()))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(audit.len(), 2, "start and settlement in the audit log");
    // The e-receipt, as a page and as a PDF a reader opens.
    let (status, receipt) = app.get_html(&format!("/ho-so/{id}/bien-lai/{}", p.txn_ref)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(receipt.contains("BIÊN LAI") && receipt.contains("100.000 đ"));
    // The heading names the ministry, then the agency (as form 01 does), and asks for no signature.
    let head = receipt.split("form-agency").nth(1).unwrap().split("</div>").next().unwrap();
    assert!(head.contains("BỘ THÔNG TIN VÀ TRUYỀN THÔNG") && head.contains("CỤC BÁO CHÍ"), "{head}");
    assert!(!receipt.contains("Ký, ghi rõ họ tên") && receipt.contains("không cần chữ ký"));
    let pdf = app.get(&format!("/ho-so/{id}/bien-lai/{}.pdf", p.txn_ref)).await;
    check_pdf_text(&pdf.bytes().await.unwrap(), |text| {
        assert!(text.contains(&p.txn_ref) && text.contains(&code) && text.contains("100.000 đ"), "{text}");
    });
    // Nothing more is owed: no second payment.
    assert_eq!(start(&app, &id).await.status(), StatusCode::CONFLICT);
    let (_, page) = app.get_html(&format!("/ho-so/{id}")).await;
    assert!(page.contains("Đã nộp đủ") && !page.contains("Thanh toán trực tuyến</button>"));
    // Officials see it; the admin's report counts it.
    let reception = official(&app, "tiepnhan").await;
    let (_, list) = get_html_with(&reception, &app.url("/can-bo/thanh-toan")).await;
    assert!(list.contains(&p.txn_ref));
    let (_, report) = get_html_with(app.admin().await, &app.url("/quan-tri/doi-soat")).await;
    let paid_row = &report[report.find("data-status=\"paid\"").unwrap()..];
    let paid_row = &paid_row[..paid_row.find("</tr>").unwrap()];
    assert!(paid_row.contains("<td>1</td>") && paid_row.contains("100.000 đ"), "{paid_row}");
    // Someone else's receipt is not theirs to read.
    app.sso_sign_in("tran-thi-binh").await;
    assert_eq!(app.get(&format!("/ho-so/{id}/bien-lai/{}", p.txn_ref)).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_cancelled_or_failed_payment_can_be_tried_again() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (id, _) = submitted_press_card(&app, &app.client).await;
    let back = pay(&app, &id, "cancel").await;
    assert!(back.contains("Đã hủy thanh toán"), "{back}");
    let back = pay(&app, &id, "insufficient").await;
    assert!(back.contains("Thanh toán không thành công"), "{back}");
    pay(&app, &id, "expired_card").await;
    pay(&app, &id, "success").await;
    let statuses: Vec<String> =
        payments_of(&app, &id).await.into_iter().map(|p| p.status.as_str().to_owned()).collect();
    assert_eq!(statuses, ["cancelled", "failed", "failed", "paid"]);
    let refs: std::collections::HashSet<String> = payments_of(&app, &id).await.into_iter().map(|p| p.txn_ref).collect();
    assert_eq!(refs.len(), 4, "every attempt has its own reference");
}

#[tokio::test]
async fn a_dropped_ipn_is_settled_by_reconciliation_and_an_abandoned_payment_expires() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (id, _) = submitted_press_card(&app, &app.client).await;
    set_fault(&app, "drop", 0).await;
    let back = pay(&app, &id, "success").await;
    assert!(back.contains("đang chờ xác nhận"), "the return page does not confirm on its own: {back}");
    assert_eq!(payments_of(&app, &id).await[0].status.as_str(), "pending");
    let now = app.now();
    let early = motcua::payment::reconcile::run(&app.state, now).await.unwrap();
    assert_eq!(early.asked, 0, "not yet pending long enough to ask");
    let later = now + chrono::Duration::minutes(16);
    let report = motcua::payment::reconcile::run(&app.state, later).await.unwrap();
    assert_eq!((report.asked, report.settled), (1, 1));
    assert_eq!(payments_of(&app, &id).await[0].status.as_str(), "paid");
    assert_eq!(events(&app, &id, "payment_paid").await, 1);

    // Another dossier's payer goes to the gateway and never pays.
    let (other, _) = submitted_press_card(&app, &app.client).await;
    let res = start(&app, &other).await;
    let (status, _) = get_html_with(&TestApp::new_client(), &location(&res)).await;
    assert_eq!(status, StatusCode::OK);
    let report = motcua::payment::reconcile::run(&app.state, later).await.unwrap();
    assert_eq!((report.asked, report.expired), (1, 1), "pending at the gateway past its expiry");
    assert_eq!(payments_of(&app, &other).await[0].status.as_str(), "expired");
    // The applicant tries again with a fresh payment.
    set_fault(&app, "normal", 0).await;
    pay(&app, &other, "success").await;
    assert_eq!(payments_of(&app, &other).await.iter().filter(|p| p.status.as_str() == "paid").count(), 1);
}

#[tokio::test]
async fn a_duplicated_ipn_confirms_once() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (id, _) = submitted_press_card(&app, &app.client).await;
    set_fault(&app, "twice", 0).await;
    pay(&app, &id, "success").await;
    assert_eq!(payments_of(&app, &id).await[0].status.as_str(), "paid");
    assert_eq!(events(&app, &id, "payment_paid").await, 1, "the second notice changed nothing");
    let p = payments_of(&app, &id).await.remove(0);
    let answer = send_ipn(&app, &ipn_params(&p, p.amount_vnd, "00", VNPAY_SECRET)).await;
    assert_eq!((answer["RspCode"].as_str(), answer["Message"].as_str()), (Some("02"), Some("Order already confirmed")));
}

#[tokio::test]
async fn forged_wrong_and_unknown_notices_are_refused_and_change_nothing() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (id, _) = submitted_press_card(&app, &app.client).await;
    let res = start(&app, &id).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let p = payments_of(&app, &id).await.remove(0);
    let forged = send_ipn(&app, &ipn_params(&p, p.amount_vnd, "00", "someone-elses-secret-123")).await;
    assert_eq!(forged["RspCode"], "97");
    let wrong = send_ipn(&app, &ipn_params(&p, p.amount_vnd - 1, "00", VNPAY_SECRET)).await;
    assert_eq!(wrong["RspCode"], "04");
    let mut unknown = p.clone();
    unknown.txn_ref = "MC000000000000000000".into();
    assert_eq!(send_ipn(&app, &ipn_params(&unknown, p.amount_vnd, "00", VNPAY_SECRET)).await["RspCode"], "01");
    // Tampered after signing: the amount changed in transit.
    let tampered = ipn_params(&p, p.amount_vnd, "00", VNPAY_SECRET).replace("vnp_Amount=10000000", "vnp_Amount=100");
    assert_eq!(send_ipn(&app, &tampered).await["RspCode"], "97");
    assert_eq!(payments_of(&app, &id).await[0].status.as_str(), "pending", "nothing changed");
    assert_eq!(events(&app, &id, "payment_paid").await, 0);

    // The stub itself sends a bad signature, then a wrong amount: the payment waits, and
    // reconciliation (which asks the gateway) settles it as it really went.
    for fault in ["bad_signature", "wrong_amount"] {
        let (other, _) = submitted_press_card(&app, &app.client).await;
        set_fault(&app, fault, 0).await;
        pay(&app, &other, "success").await;
        assert_eq!(payments_of(&app, &other).await[0].status.as_str(), "pending", "{fault}");
    }
    let report = motcua::payment::reconcile::run(&app.state, app.now() + chrono::Duration::minutes(16)).await.unwrap();
    assert_eq!(report.settled, 2);
    assert_eq!(payments_of(&app, &id).await[0].status.as_str(), "expired", "the one never paid at the gateway");
}

#[tokio::test]
async fn an_ipn_and_reconciliation_at_once_settle_the_payment_exactly_once() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    for _ in 0..3 {
        let (id, _) = submitted_press_card(&app, &app.client).await;
        set_fault(&app, "drop", 0).await;
        pay(&app, &id, "success").await;
        let p = payments_of(&app, &id).await.remove(0);
        let query = ipn_params(&p, p.amount_vnd, "00", VNPAY_SECRET);
        let later = app.now() + chrono::Duration::minutes(16);
        let (answer, report) = tokio::join!(send_ipn(&app, &query), motcua::payment::reconcile::run(&app.state, later));
        let confirmed = answer["RspCode"] == "00";
        assert!(confirmed || answer["RspCode"] == "02", "{answer}");
        assert_eq!(u8::from(confirmed) + u8::try_from(report.unwrap().settled).unwrap(), 1, "one of them settled it");
        assert_eq!(events(&app, &id, "payment_paid").await, 1);
        assert_eq!(payments_of(&app, &id).await[0].status.as_str(), "paid");
    }
}

#[tokio::test]
async fn a_refused_dossier_gets_its_fee_back() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (id, _) = submitted_press_card(&app, &app.client).await;
    pay(&app, &id, "success").await;
    let reception = official(&app, "tiepnhan").await;
    let res = reception_action(&app, &reception, &id, "tu-choi", "Không thuộc thẩm quyền của Cục Báo chí").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let p = payments_of(&app, &id).await.remove(0);
    assert_eq!(p.refund_status.as_str(), "requested", "asked for in the refusal's own transaction");
    let report = motcua::payment::reconcile::run(&app.state, app.now()).await.unwrap();
    assert_eq!(report.refunded, 1);
    let p = payments_of(&app, &id).await.remove(0);
    assert_eq!((p.refund_status.as_str(), p.refunded_vnd), ("refunded", 100_000));
    assert_eq!(events(&app, &id, "refund_refunded").await, 1);
    let (_, page) = app.get_html(&format!("/ho-so/{id}")).await;
    assert!(decode_entities(&page).contains("Đã hoàn phí"), "the applicant sees the refund");
    // Tracked to completion: nothing is sent twice.
    let again = motcua::payment::reconcile::run(&app.state, app.now()).await.unwrap();
    assert_eq!(again.refunded, 0);
}

#[tokio::test]
async fn the_fee_after_appraisal_opens_approval_once_paid() {
    let app = TestApp::spawn_with_sso().await;
    crate::offices::publishing(&app).await;
    use motcua::auth::role::Role;
    for (name, role) in [("tn.xb", Role::Reception), ("cv.xb", Role::Specialist), ("ld.xb", Role::Leader)] {
        app.create_official(name, &[role], Some("000.02.00.G12")).await;
    }
    let (reception, specialist) = (official(&app, "tn.xb").await, official(&app, "cv.xb").await);
    app.sso_sign_in("cong-ty-sao-mai").await;
    let id = crate::processing::business_dossier(&app, "1.003729", 2).await;
    reception_action(&app, &reception, &id, "tiep-nhan", "").await;
    act(&app, &reception, &id, "chuyen_tham_dinh", &[], None).await;
    act(&app, &specialist, &id, "yeu_cau_nop_phi", &[("note", "Phí thẩm định 500.000 đ")], None).await;
    let waiting = state_of(&app, &id).await;
    assert_eq!((waiting.status.as_str(), waiting.paused_at.is_some()), ("awaiting_payment", true));
    // The applicant is asked, by e-mail, for the amount.
    let asked = queued_mails(&app).await.into_iter().rev().find(|m| m["subject"].as_str().unwrap().contains("nộp phí"));
    let asked = asked.expect("the applicant is asked for the fee");
    assert!(asked["text"].as_str().unwrap().contains("1.500.000 đ"), "{asked}");
    // The request was made a week ago (moved back in the record, to see the clock).
    let waiting = {
        use sea_orm::{ActiveModelTrait, ActiveValue::Set, IntoActiveModel};
        let mut m = waiting.clone().into_active_model();
        m.paused_at = Set(Some(app.now() - chrono::Duration::days(7)));
        m.update(&app.db).await.unwrap()
    };
    // Nobody moves it on by hand: the payment does.
    assert_eq!(act(&app, &specialist, &id, "da_nop_phi", &[], None).await.status(), StatusCode::FORBIDDEN);
    let back = pay(&app, &id, "success").await;
    assert!(back.contains("Đã thanh toán"), "{back}");
    let paid = payments_of(&app, &id).await.remove(0);
    assert_eq!(paid.amount_vnd, 1_500_000, "500.000 đ per title, three titles");
    // In the settlement's transaction the workflow moved on and the clock runs again.
    let moved = state_of(&app, &id).await;
    assert_eq!((moved.workflow_state.as_deref(), moved.status.as_str()), (Some("phe_duyet"), "in_progress"));
    assert_eq!(moved.paused_at, None, "the clock runs again");
    assert!(moved.due_at > waiting.due_at, "the appointment moved by the time spent waiting for the fee");
    let history = entity::dossier_event::Entity::find()
        .filter(entity::dossier_event::Column::DossierId.eq(moved.id))
        .filter(entity::dossier_event::Column::StepAction.eq("da_nop_phi"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].actor_label, "Hệ thống: đã nộp phí, lệ phí", "taken by the portal");
    // The leader's step is told to the unit's leaders.
    let notices = entity::notice::Entity::find()
        .filter(entity::notice::Column::DossierId.eq(moved.id))
        .all(&app.db)
        .await
        .unwrap();
    assert!(notices.iter().any(|n| n.text.contains("Phê duyệt")), "{notices:?}");
}

#[tokio::test]
async fn a_fee_due_at_submission_is_paid_before_reception_sends_the_dossier_on() {
    let app = TestApp::spawn_with_sso().await;
    crate::offices::publishing(&app).await;
    use motcua::auth::role::Role;
    for (name, role) in [("tn.xb", Role::Reception), ("cv.xb", Role::Specialist)] {
        app.create_official(name, &[role], Some("000.02.00.G12")).await;
    }
    let reception = official(&app, "tn.xb").await;
    app.sso_sign_in("cong-ty-sao-mai").await;
    let id = crate::processing::business_dossier(&app, "1.003727", 2).await;
    reception_action(&app, &reception, &id, "tiep-nhan", "").await;
    let res = act(&app, &reception, &id, "chuyen_tham_dinh", &[], None).await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "the fee (200.000 đ) is not paid yet");
    assert_eq!(state_of(&app, &id).await.workflow_state.as_deref(), Some("tiep_nhan"));
    pay(&app, &id, "success").await;
    assert_eq!(payments_of(&app, &id).await[0].amount_vnd, 200_000);
    assert_eq!(act(&app, &reception, &id, "chuyen_tham_dinh", &[], None).await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_late_ipn_settles_the_payment_after_the_payer_is_back() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (id, _) = submitted_press_card(&app, &app.client).await;
    set_fault(&app, "late", 1).await;
    let back = pay(&app, &id, "success").await;
    assert!(back.contains("đang chờ xác nhận"), "{back}");
    assert_eq!(payments_of(&app, &id).await[0].status.as_str(), "pending");
    for _ in 0..50 {
        if payments_of(&app, &id).await[0].status.as_str() == "paid" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(payments_of(&app, &id).await[0].status.as_str(), "paid", "the notice came, late");
    let (_, page) = app.get_html(&format!("/ho-so/{id}")).await;
    assert!(page.contains("Đã nộp đủ"));
}

#[tokio::test]
async fn a_payment_completed_after_the_refusal_is_returned() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (id, _) = submitted_press_card(&app, &app.client).await;
    // The payer opens the gateway's page, and meanwhile the dossier is refused.
    let res = start(&app, &id).await;
    let browser = TestApp::new_client();
    let (_, page) = get_html_with(&browser, &location(&res)).await;
    let reception = official(&app, "tiepnhan").await;
    reception_action(&app, &reception, &id, "tu-choi", "Không thuộc thẩm quyền của Cục Báo chí").await;
    let res = browser
        .post(format!("{}/paymentv2/pay", app.mock.as_ref().unwrap().address))
        .form(&[("txn_ref", attribute(&page, "txn_ref").as_str()), ("choice", "success")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let p = payments_of(&app, &id).await.remove(0);
    assert_eq!((p.status.as_str(), p.refund_status.as_str()), ("paid", "requested"));
    motcua::payment::reconcile::run(&app.state, app.now()).await.unwrap();
    assert_eq!(payments_of(&app, &id).await[0].refund_status.as_str(), "refunded");
}

#[tokio::test]
async fn a_fee_paid_at_the_counter_is_recorded_once_and_not_counted_as_online() {
    let app = TestApp::spawn_with_sso().await;
    crate::offices::publishing(&app).await;
    let officer = official(&app, "tiepnhan").await;
    let id = crate::reception::counter_dossier(&app, &officer).await;
    let (_, page) = get_html_with(&officer, &app.url(&format!("/can-bo/ho-so/{id}"))).await;
    assert!(decode_entities(&page).contains("100.000 đ") && page.contains("thu-phi"), "what is owed, and the form");
    let path = format!("/can-bo/ho-so/{id}/thu-phi");
    let res = app.post_form_with(&officer, &path, &[("receipt_no", "  ")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "the receipt's number is needed");
    assert!(payments_of(&app, &id).await.is_empty(), "nothing recorded");
    // Two clicks at once: one payment.
    let (a, b) = tokio::join!(
        app.post_form_with(&officer, &path, &[("receipt_no", "0001234")]),
        app.post_form_with(&officer, &path, &[("receipt_no", "0001234")])
    );
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
    let payments = payments_of(&app, &id).await;
    assert_eq!(payments.len(), 1);
    let p = &payments[0];
    assert_eq!((p.status.as_str(), p.method.as_str(), p.amount_vnd), ("paid", "counter", 100_000));
    assert_eq!(p.gateway_txn_no.as_deref(), Some("0001234"));
    assert_eq!(events(&app, &id, "payment_paid").await, 1);
    let d = state_of(&app, &id).await;
    let messages = entity::outbox::Entity::find()
        .filter(entity::outbox::Column::OrderingKey.eq(d.code.clone().unwrap()))
        .all(&app.db)
        .await
        .unwrap();
    let last: Value = serde_json::from_str(&messages.last().unwrap().payload).unwrap();
    assert_eq!(last["data"][0]["TrangThaiThanhToan"], 1, "paid");
    assert_eq!(last["data"][0]["DuocThanhToanTrucTuyen"], 0, "not online");
    // Another agency's reception officer cannot take this dossier's money.
    let other = app.create_official("tn.khac", &[motcua::auth::role::Role::Reception], Some("000.02.00.G12")).await;
    let _ = other;
    let stranger = official(&app, "tn.khac").await;
    let res = app.post_form_with(&stranger, &path, &[("receipt_no", "99")]).await;
    assert!(matches!(res.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{}", res.status());
}
