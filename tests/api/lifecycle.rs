//! One dossier lifecycle: every change goes through one transition that
//! writes the state, a numbered history entry and the national sync
//! messages together. A dossier taken through its whole life leaves one
//! complete `DongBoHoSoMC` record per change, in order; lateness survives an
//! apology; the desk cannot bypass the workflow; a corrected dossier is
//! watched again for acceptance.

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;

use crate::dossier_support::*;
use crate::helpers::{TestApp, get_html_with, location};

fn records<'a>(messages: &'a [Value], service: &str) -> Vec<&'a Value> {
    messages.iter().filter(|m| m["service"] == service).map(|m| &m["data"][0]).collect()
}

/// Every field of REGULATIONS §6.2 the portal holds.
const DOSSIER_FIELDS: &[&str] = &[
    "MaHoSo",
    "MaTTHC",
    "TenTTHC",
    "MaLinhVuc",
    "TenLinhVuc",
    "KenhThucHien",
    "TrichYeuHoSo",
    "ChuHoSo",
    "LoaiDoiTuong",
    "SoGiayToChuHoSo",
    "DinhDanhCHS",
    "Email",
    "SoDienThoai",
    "NgayNopHoSo",
    "NgayTiepNhan",
    "NgayHenTra",
    "NgayTuChoi",
    "NgayKetThucXuLy",
    "NgayTra",
    "TrangThaiHoSo",
    "DonViXuLy",
    "GhiChu",
    "HoSoCoThanhPhanSoHoa",
    "TaiKhoanDuocXacThucVoiVNeID",
    "DuocThanhToanTrucTuyen",
    "TaiLieuNop",
    "DanhSachLePhi",
    "DanhSachHoSoBoSung",
    "DanhSachGiayToKetQua",
];

fn is_national_date(v: &Value) -> bool {
    v.as_str().is_some_and(|s| s.len() == 14 && s.bytes().all(|b| b.is_ascii_digit()))
}

/// The leader `leader` apologises for dossier `id` and moves its appointment
/// to the first working day at least `days` after `from` (form 04).
async fn apologise(app: &TestApp, leader: &reqwest::Client, id: &str, from: chrono::DateTime<chrono::Utc>, days: i64) {
    let d = state_of(app, id).await;
    let cal = motcua::work_calendar::load(&app.db, &app.state.settings.office_hours).await.unwrap();
    let mut new_day = motcua::sla::local_time::to_local(from).date() + chrono::Duration::days(days);
    while !cal.is_working_day(new_day) {
        new_day += chrono::Duration::days(1);
    }
    let fields = [
        ("version", d.version.to_string()),
        ("reason", "Chờ ý kiến của cơ quan phối hợp".to_owned()),
        ("new_due", new_day.to_string()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = app.post_form_with(leader, &format!("/can-bo/ho-so/{id}/xin-loi"), &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "the apology is taken");
}

/// The status panel at the top of the citizen's page of dossier `id`: what happens next, what to do.
async fn next_step(app: &TestApp, id: &str) -> String {
    let (_, page) = get_html_with(&app.client, &app.url(&format!("/ho-so/{id}"))).await;
    let panel = page.split("class=\"status-panel").nth(1).expect("a status panel").split("</section>").next().unwrap();
    assert!(page.find("status-panel") < page.find("class=\"payment-panel"), "the panel comes first");
    panel.to_owned()
}

#[tokio::test]
async fn a_dossier_through_its_whole_life_leaves_one_ordered_complete_record_per_change() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (id, code) = submitted_press_card(&app, &app.client).await;
    let (reception, specialist, leader) =
        (official(&app, "tiepnhan").await, official(&app, "chuyenvien").await, official(&app, "lanhdao").await);
    let panel = next_step(&app, &id).await;
    assert!(panel.contains("Hãy nộp phí, lệ phí") && panel.contains("href=\"#fees-h\""), "pay first: {panel}");

    // The fee, paid online.
    let res = crate::payments::start(&app, &id).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    crate::payments::pay_at(&app, &location(&res), "success").await;
    assert_eq!(reception_action(&app, &reception, &id, "tiep-nhan", "").await.status(), StatusCode::SEE_OTHER);
    let received = state_of(&app, &id).await;
    // The desk's panel: one primary action, the refusal apart and confirmed, each box named for its action;
    // and what the applicant owes and has paid.
    let (_, page) = get_html_with(&reception, &app.url(&format!("/can-bo/ho-so/{id}"))).await;
    let panel = page.split("id=\"processing\"").nth(1).unwrap().split("</section>").next().unwrap();
    assert_eq!(panel.matches("class=\"button-primary\"").count(), 1, "one primary action: {panel}");
    assert!(panel.contains("<details class=\"danger-zone\">") && panel.contains("class=\"button-danger\">Xác nhận: "));
    assert!(!panel.contains(">Lý do</label>"), "no two boxes both called Lý do");
    let fees = page.split("id=\"fees-h\"").nth(1).unwrap().split("</section>").next().unwrap();
    assert!(fees.contains("100.000 đ") && fees.contains("Đã nộp đủ"), "{fees}");
    assert_eq!(act(&app, &reception, &id, "chuyen_tham_dinh", &[], None).await.status(), StatusCode::SEE_OTHER);
    let asked = [("documents", "Bản sao hợp đồng lao động có chứng thực"), ("reason", "Bản đã nộp không đọc được")];
    assert_eq!(act(&app, &specialist, &id, "yeu_cau_bo_sung", &asked, None).await.status(), StatusCode::SEE_OTHER);
    let panel = next_step(&app, &id).await;
    assert!(panel.contains("Yêu cầu bổ sung giấy tờ") && panel.contains("href=\"#asked\""), "{panel}");
    let files = [("file.2", "hop-dong.pdf", pdf(4000, "hd"))];
    let res = answer_supplement(&app, &id, "Đã bổ sung", &files).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        act(&app, &specialist, &id, "trinh_phe_duyet", &[("note", "Đủ điều kiện")], None).await.status(),
        StatusCode::SEE_OTHER
    );
    // The leader apologises and moves the date a week on.
    let due = state_of(&app, &id).await.due_at.unwrap();
    apologise(&app, &leader, &id, due, 7).await;
    let result = pdf(5000, "the nha bao");
    let res = act(&app, &leader, &id, "phe_duyet_ket_qua", &[], Some(result)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(act(&app, &reception, &id, "xac_nhan_tra_ket_qua", &[], None).await.status(), StatusCode::SEE_OTHER);
    let panel = next_step(&app, &id).await;
    assert!(panel.contains(&format!("href=\"/ho-so/{id}/ket-qua\"")) && panel.contains("href=\"#rating\""), "{panel}");

    let messages = sync_messages(&app, &code).await;
    let dossiers = records(&messages, "DongBoHoSoMC");
    let statuses: Vec<i64> = dossiers.iter().map(|r| r["TrangThaiHoSo"].as_i64().unwrap()).collect();
    // submit, paid, receive, appraisal, supplement asked, answered, to approval, apology, result, handed over
    assert_eq!(statuses, [1, 1, 2, 4, 5, 4, 4, 4, 9, 10], "one record per change, in the order they happened");
    let seqs: Vec<i64> = messages.iter().map(|m| m["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] <= w[1]), "numbered in order: {seqs:?}");
    let dossier_seqs: Vec<i64> =
        messages.iter().filter(|m| m["service"] == "DongBoHoSoMC").map(|m| m["seq"].as_i64().unwrap()).collect();
    assert!(dossier_seqs.windows(2).all(|w| w[0] < w[1]), "one record per numbered change: {dossier_seqs:?}");
    // The history carries the same numbers, one per entry, without gaps.
    let d = state_of(&app, &id).await;
    let history = entity::dossier_event::Entity::find()
        .filter(entity::dossier_event::Column::DossierId.eq(d.id))
        .order_by_asc(entity::dossier_event::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    let numbers: Vec<i32> = history.iter().map(|e| e.seq).collect();
    assert_eq!(numbers, (1..=i32::try_from(history.len()).unwrap()).collect::<Vec<_>>());
    assert_eq!(d.event_seq, *numbers.last().unwrap());

    for (i, r) in dossiers.iter().enumerate() {
        for field in DOSSIER_FIELDS {
            assert!(r.get(*field).is_some(), "record {i} lacks {field}: {r}");
        }
        assert_eq!(r["MaHoSo"], code.as_str());
        assert_eq!(r["MaTTHC"], "1.004227");
        assert_eq!(r["KenhThucHien"], 2, "online");
        assert!(is_national_date(&r["NgayNopHoSo"]), "{}", r["NgayNopHoSo"]);
    }
    let first = dossiers[0];
    assert_eq!((first["DuocThanhToanTrucTuyen"].as_i64(), first["NgayTiepNhan"].is_null()), (Some(0), true));
    assert_eq!(dossiers[1]["DuocThanhToanTrucTuyen"], 2, "paid through the portal's gateway");
    assert_eq!(first["ChuHoSo"], "Nguyễn Văn An");
    assert_eq!(first["TaiKhoanDuocXacThucVoiVNeID"], 1, "the SSO account is verified with VNeID");
    assert_eq!(first["TaiLieuNop"].as_array().unwrap().len(), 3);
    assert_eq!(first["TaiLieuNop"][0]["DuocSoHoa"], 0, "uploaded by the applicant");
    assert_eq!(first["DanhSachLePhi"][0]["Gia"], 100_000);
    let reception_record = dossiers[2];
    assert_eq!(
        reception_record["NgayHenTra"].as_str().unwrap(),
        motcua::dossier::national_record::date(received.due_at.unwrap())
    );
    // The supplement round keeps its times and its old and new appointment.
    let asked_record = dossiers[4];
    let round = &asked_record["DanhSachHoSoBoSung"][0];
    assert_eq!(round["TrangThaiBoSung"], 0);
    assert!(round["NoiDungBoSung"].as_str().unwrap().contains("hợp đồng lao động"));
    assert!(is_national_date(&round["NgayHenTraTruoc"]));
    let answered = &dossiers[5]["DanhSachHoSoBoSung"][0];
    assert_eq!(answered["TrangThaiBoSung"], 1);
    assert!(is_national_date(&answered["NgayTiepNhanBoSung"]) && is_national_date(&answered["NgayHenTraMoi"]));
    assert_eq!(dossiers[5]["TaiLieuNop"].as_array().unwrap().len(), 4, "the supplement's file is listed");
    assert_eq!(answered["NguoiTiepNhanBoSung"], "", "sent online: no officer took it in");
    assert_eq!(answered["ThongTinTiepNhan"], "Đã bổ sung");
    assert_eq!(answered["DanhSachGiayToBoSung"][0]["TenTepDinhKem"], "hop-dong.pdf");
    assert_eq!(
        (first["HinhThuc"].as_i64(), first["ThongTinTra"].as_str()),
        (Some(0), Some("Nhận bản điện tử trên Cổng dịch vụ công"))
    );
    let apology = dossiers[7];
    assert_eq!(apology["NgayHenTraBanDau"], reception_record["NgayHenTra"], "the first appointment stays");
    assert_ne!(apology["NgayHenTra"], reception_record["NgayHenTra"], "the moved one");
    let ready = dossiers[8];
    assert!(is_national_date(&ready["NgayKetThucXuLy"]));
    let result = &ready["DanhSachGiayToKetQua"][0];
    assert!(result["DuongDanTepTinKetQua"].as_str().unwrap().ends_with(&format!("/ho-so/{id}/ket-qua")));
    let handed = dossiers[9];
    assert!(is_national_date(&handed["NgayTra"]));
    assert_eq!(handed["NgayKetThucXuLy"], ready["NgayKetThucXuLy"], "processing ended when the result was ready");

    // The clock stood still once, for the supplement, from the request to the answer.
    let pauses = entity::dossier_pause::Entity::find()
        .filter(entity::dossier_pause::Column::DossierId.eq(d.id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(pauses.len(), 1);
    assert_eq!(pauses[0].reason, entity::dossier_pause::Reason::Supplement);
    assert!(pauses[0].ended_at.is_some_and(|end| end >= pauses[0].started_at));

    // Each step, reception first, is reported as progress with its start and due time.
    let progress = records(&messages, "CapNhatTienDoHoSoMC");
    assert_eq!(progress.len(), 7, "reception and six workflow steps");
    assert_eq!(progress[0]["TrangThai"], 2);
    assert!(is_national_date(&progress[0]["NgayBatDau"]) && is_national_date(&progress[0]["NgayKetThucTheoQuyDinh"]));
    assert_eq!(progress[1]["BuocXuLy"], "Thẩm định hồ sơ");
    assert_eq!(progress[1]["ChucDanh"], "reception");

    // The facts the statistics read, as each writer left them on the dossier's row: none before
    // the national portal took a record, the rating and its dislike, the gateway payment, the
    // documents with the supplement's, the supplement's pause (QĐ 766 1.4, 5.4, 3.6, 4.2, 2.2).
    assert_eq!(d.synced_at, None, "nothing delivered yet");
    app.sso_sign_in("nguyen-van-an").await;
    let mut answers = crate::ratings::all("hai_long");
    answers["attitude"] = serde_json::json!("khong_hai_long");
    let res = crate::ratings::rate(&app, &id, &serde_json::json!({"criteria": answers})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert!(crate::national_sync::drain(&app).await.delivered > 0);
    let d = state_of(&app, &id).await;
    let waited = pauses[0].ended_at.unwrap() - pauses[0].started_at;
    assert_eq!(
        (d.synced_at.is_some(), d.rating_dislike, d.paid_online, d.documents, d.reused_documents),
        (true, Some(true), true, 4, 0)
    );
    assert_eq!(d.supplement_seconds, (waited.num_milliseconds() as f64 / 1000.0).round() as i64);
    assert_eq!(
        d.rating_answers.as_deref(),
        Some("attitude:khong_hai_long,contacts:hai_long,on_time:hai_long,online:hai_long,overall:hai_long")
    );
    // Derived again from their sources, they are the same.
    motcua::dossier::facts::recompute(&app.db, d.id, d.id).await.unwrap();
    let again = state_of(&app, &id).await;
    assert_eq!(
        (again.synced_at, again.rating_dislike, again.paid_online, again.documents, again.supplement_seconds),
        (d.synced_at, d.rating_dislike, d.paid_online, d.documents, d.supplement_seconds)
    );
    assert_eq!((again.rating_answers, again.reused_documents), (d.rating_answers.clone(), d.reused_documents));
}

#[tokio::test]
async fn a_counter_dossier_is_reported_in_person_with_its_papers_digitised_through_its_whole_life() {
    let app = TestApp::spawn_with_sso().await;
    let officer = official(&app, "tiepnhan").await;
    let id = crate::reception::counter_dossier(&app, &officer).await;
    let d = state_of(&app, &id).await;
    assert_eq!(d.status.as_str(), "received", "taken there and then");
    let messages = sync_messages(&app, d.code.as_deref().unwrap()).await;
    let dossiers = records(&messages, "DongBoHoSoMC");
    let statuses: Vec<i64> = dossiers.iter().map(|r| r["TrangThaiHoSo"].as_i64().unwrap()).collect();
    assert_eq!(statuses, [1, 2]);
    let received = dossiers[1];
    assert_eq!(received["KenhThucHien"], 1, "in person");
    let documents = received["TaiLieuNop"].as_array().unwrap();
    assert!(!documents.is_empty() && documents.iter().all(|x| x["DuocSoHoa"] == 1), "digitised at the counter");
    assert_eq!(received["TaiKhoanDuocXacThucVoiVNeID"], 0, "no account of the applicant's");

    // Its whole life at the desk: the fee taken there, the steps, an apology, the result handed over.
    let res = app.post_form_with(&officer, &format!("/can-bo/ho-so/{id}/thu-phi"), &[("receipt_no", "0000123")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (specialist, leader) = (official(&app, "chuyenvien").await, official(&app, "lanhdao").await);
    assert_eq!(act(&app, &officer, &id, "chuyen_tham_dinh", &[], None).await.status(), StatusCode::SEE_OTHER);
    let res = act(&app, &specialist, &id, "trinh_phe_duyet", &[("note", "Đủ điều kiện")], None).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let due = state_of(&app, &id).await.due_at.unwrap();
    apologise(&app, &leader, &id, due, 7).await;
    let res = act(&app, &leader, &id, "phe_duyet_ket_qua", &[], Some(pdf(4000, "ket qua"))).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(act(&app, &officer, &id, "xac_nhan_tra_ket_qua", &[], None).await.status(), StatusCode::SEE_OTHER);
    let messages = sync_messages(&app, d.code.as_deref().unwrap()).await;
    let dossiers = records(&messages, "DongBoHoSoMC");
    let statuses: Vec<i64> = dossiers.iter().map(|r| r["TrangThaiHoSo"].as_i64().unwrap()).collect();
    assert_eq!(
        statuses,
        [1, 2, 2, 4, 4, 4, 9, 10],
        "submitted, received, paid, two steps, apology, result, handed over"
    );
    let last = dossiers.last().unwrap();
    for field in DOSSIER_FIELDS {
        assert!(last.get(*field).is_some(), "the last record lacks {field}");
    }
    assert_eq!((last["TrangThaiThanhToan"].as_i64(), last["DuocThanhToanTrucTuyen"].as_i64()), (Some(1), Some(0)));
    assert!(is_national_date(&last["NgayTra"]) && is_national_date(&last["NgayXinLoi"]));
}

#[tokio::test]
async fn a_walk_in_applicant_hands_a_supplement_in_at_the_counter() {
    let app = TestApp::spawn_with_sso().await;
    let officer = official(&app, "tiepnhan").await;
    let id = crate::reception::counter_dossier(&app, &officer).await;
    let res = app.post_form_with(&officer, &format!("/can-bo/ho-so/{id}/thu-phi"), &[("receipt_no", "0000124")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let specialist = official(&app, "chuyenvien").await;
    assert_eq!(act(&app, &officer, &id, "chuyen_tham_dinh", &[], None).await.status(), StatusCode::SEE_OTHER);
    let asked = [("documents", "Bản sao hợp đồng lao động có chứng thực"), ("reason", "Bản đã nộp không đọc được")];
    assert_eq!(act(&app, &specialist, &id, "yeu_cau_bo_sung", &asked, None).await.status(), StatusCode::SEE_OTHER);
    let (status, page) = get_html_with(&officer, &app.url(&format!("/can-bo/ho-so/{id}"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Nhận hồ sơ bổ sung tại quầy") && page.contains("/nhan-bo-sung"), "the desk's form: {page}");
    let path = format!("/can-bo/ho-so/{id}/nhan-bo-sung");
    let waiting = state_of(&app, &id).await;
    let version = waiting.version.to_string();

    // Refused, and nothing changes: nothing brought, a stale version, another unit's officer.
    let csrf = app.csrf_of(&officer).await;
    let fields = [("_csrf", csrf.as_str()), ("version", version.as_str()), ("note", "Bản sao mới")];
    let res = post_multipart(&app, &officer, &path, &fields, &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "no papers, no answer");
    let files = [("file.2", "hop-dong-moi.pdf", pdf(4000, "hop dong moi"))];
    let stale = [("_csrf", csrf.as_str()), ("version", "1"), ("note", "")];
    assert_eq!(post_multipart(&app, &officer, &path, &stale, &files).await.status(), StatusCode::CONFLICT);
    crate::offices::publishing(&app).await;
    app.create_official("tiepnhan.khac", &[motcua::auth::role::Role::Reception], Some(crate::offices::PUBLISHING))
        .await;
    let outsider = official(&app, "tiepnhan.khac").await;
    let outsider_csrf = app.csrf_of(&outsider).await;
    let theirs = [("_csrf", outsider_csrf.as_str()), ("version", version.as_str()), ("note", "")];
    let res = post_multipart(&app, &outsider, &path, &theirs, &files).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "another agency's dossier");
    let unchanged = state_of(&app, &id).await;
    assert_eq!((unchanged.version, unchanged.status.as_str()), (waiting.version, "awaiting_supplement"));

    // The officer scans what the applicant brought and records the answer for them.
    let res = post_multipart(&app, &officer, &path, &fields, &files).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let back = state_of(&app, &id).await;
    assert_eq!(
        (back.status.as_str(), back.workflow_state.as_deref(), back.paused_at),
        ("in_progress", Some("tham_dinh"), None)
    );
    // Twice (a second click): the dossier is no longer waiting.
    assert_eq!(post_multipart(&app, &officer, &path, &fields, &files).await.status(), StatusCode::CONFLICT);

    let messages = sync_messages(&app, back.code.as_deref().unwrap()).await;
    let dossiers = records(&messages, "DongBoHoSoMC");
    let statuses: Vec<i64> = dossiers.iter().map(|r| r["TrangThaiHoSo"].as_i64().unwrap()).collect();
    assert_eq!(statuses, [1, 2, 2, 4, 5, 4], "submitted, received, paid, appraisal, asked, answered");
    let last = dossiers.last().unwrap();
    let round = &last["DanhSachHoSoBoSung"][0];
    assert_eq!(round["TrangThaiBoSung"], 1, "answered");
    let received_by = round["NguoiTiepNhanBoSung"].as_str().unwrap();
    assert!(received_by.starts_with("Nguyễn Thị Lan"), "the officer who took the papers in: {received_by}");
    assert_eq!(round["ThongTinTiepNhan"], "Bản sao mới");
    let handed: Vec<&str> = round["DanhSachGiayToBoSung"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["TenTepDinhKem"].as_str().unwrap())
        .collect();
    assert_eq!(handed, ["hop-dong-moi.pdf"], "the papers of this round, not the dossier's first ones");
    let scanned = last["TaiLieuNop"].as_array().unwrap().iter().find(|x| x["TenTepDinhKem"] == "hop-dong-moi.pdf");
    assert_eq!(scanned.unwrap()["DuocSoHoa"], 1, "digitised at the counter");
    assert_eq!(
        (last["HinhThuc"].as_i64(), last["ThongTinTra"].as_str()),
        (Some(0), Some("Nhận trực tiếp tại Bộ phận Một cửa"))
    );
}

#[tokio::test]
async fn the_applicant_chooses_where_to_receive_the_result() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let before = dossier_count(&app).await;
    let (_, csrf, token) = start_page(&app, &app.client, PRESS_CARD).await;
    let mut fields = vec![("_csrf", csrf.as_str()), ("draft_token", token.as_str()), ("action", "review")];
    fields.extend(press_card_fields());
    fields.push(("result_delivery", "by_pigeon"));
    let path = format!("/thu-tuc/{PRESS_CARD}/nop-ho-so");
    let res = post_multipart(&app, &app.client, &path, &fields, &press_card_files()).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "not a way the result is delivered");
    let page = res.text().await.unwrap();
    assert!(page.contains("Đăng ký nhận kết quả tại"), "the choice is asked again");
    let submitted =
        entity::dossier::Entity::find().filter(entity::dossier::Column::Status.ne("draft")).all(&app.db).await.unwrap();
    assert!(submitted.is_empty() && dossier_count(&app).await <= before + 1, "nothing submitted");

    let mut fields = press_card_fields();
    fields.push(("result_delivery", "post"));
    let id = fill_draft(&app, &app.client, PRESS_CARD, &fields, &press_card_files()).await;
    assert_eq!(submit(&app, &app.client, &id).await.status(), StatusCode::SEE_OTHER);
    let d = state_of(&app, &id).await;
    assert_eq!(d.result_delivery.as_str(), "post");
    let (status, page) = get_html_with(&app.client, &app.url(&format!("/ho-so/{id}"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Qua dịch vụ bưu chính công ích"), "the dossier page says it: {page}");
    let messages = sync_messages(&app, d.code.as_deref().unwrap()).await;
    let first = records(&messages, "DongBoHoSoMC")[0].clone();
    assert_eq!(
        (first["HinhThuc"].as_i64(), first["ThongTinTra"].as_str()),
        (Some(1), Some("Nhận qua dịch vụ bưu chính công ích"))
    );
}

#[tokio::test]
async fn a_late_dossier_stays_late_after_the_apology_moves_its_date() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (id, code) = paid_press_card(&app).await;
    let reception = official(&app, "tiepnhan").await;
    reception_action(&app, &reception, &id, "tiep-nhan", "").await;
    act(&app, &reception, &id, "chuyen_tham_dinh", &[], None).await;
    let first = state_of(&app, &id).await;
    let first_due = first.due_at.unwrap();
    // The appointment passes and the sweep sees it; the leader signs in that day.
    app.state.clock.advance(first_due - app.now() + chrono::Duration::hours(1));
    let leader = official(&app, "lanhdao").await;
    motcua::deadlines::sweep(&app.db, app.now()).await.unwrap();
    let late = state_of(&app, &id).await;
    assert_eq!((late.due_state.as_str(), late.late_at), ("overdue", Some(first_due)));
    apologise(&app, &leader, &id, app.now(), 5).await;
    let after = state_of(&app, &id).await;
    assert!(after.due_at.unwrap() > app.now(), "a new date in the future");
    assert_eq!(after.due_state.as_str(), "overdue", "still late: the apology does not make it on time");
    assert_eq!(after.late_at, Some(first_due), "when it became late");
    assert_eq!((after.first_due_at, after.rescheduled_from), (Some(first_due), Some(first_due)));
    assert!(after.apology_late, "the apology came after the deadline");
    // Another sweep changes nothing of it.
    motcua::deadlines::sweep(&app.db, app.now()).await.unwrap();
    assert_eq!(state_of(&app, &id).await.late_at, Some(first_due));
    let messages = sync_messages(&app, &code).await;
    let last = records(&messages, "DongBoHoSoMC").pop().unwrap().clone();
    assert_eq!((last["TreHan"].as_bool(), last["NgayXinLoi"].is_string()), (Some(true), true));
}

#[tokio::test]
async fn the_desk_cannot_ask_a_dossier_in_processing_for_a_supplement_outside_its_workflow() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (id, _) = paid_press_card(&app).await;
    let reception = official(&app, "tiepnhan").await;
    reception_action(&app, &reception, &id, "tiep-nhan", "").await;
    act(&app, &reception, &id, "chuyen_tham_dinh", &[], None).await;
    let before = state_of(&app, &id).await;
    let res = reception_action(&app, &reception, &id, "yeu-cau-bo-sung", "Thiếu bản sao hợp đồng lao động").await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "in processing a supplement is the workflow's step");
    let after = state_of(&app, &id).await;
    assert_eq!((after.version, after.status.as_str(), after.paused_at), (before.version, "in_progress", None));
    assert!(after.supplement_request.is_none());
}

#[tokio::test]
async fn a_corrected_dossier_is_watched_again_for_acceptance() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (id, _) = submitted_press_card(&app, &app.client).await;
    let submitted = state_of(&app, &id).await;
    // Past the 8 working hours: flagged. Everyone signs in again that day.
    app.state.clock.advance(submitted.accept_due_at.unwrap() - app.now() + chrono::Duration::minutes(5));
    app.sso_sign_in("nguyen-van-an").await;
    let reception = official(&app, "tiepnhan").await;
    motcua::deadlines::sweep(&app.db, app.now()).await.unwrap();
    assert!(state_of(&app, &id).await.accept_late);
    let asked = "Ảnh chân dung chưa đúng kích thước 2x3 cm";
    assert_eq!(reception_action(&app, &reception, &id, "yeu-cau-bo-sung", asked).await.status(), StatusCode::SEE_OTHER);
    let files = [("file.3", "anh-moi.pdf", pdf(3000, "anh moi"))];
    let res = answer_supplement(&app, &id, "Ảnh mới", &files).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let corrected = state_of(&app, &id).await;
    assert_eq!(corrected.status.as_str(), "submitted");
    assert!(!corrected.accept_late, "new work for reception");
    let cal = motcua::work_calendar::load(&app.db, &app.state.settings.office_hours).await.unwrap();
    let expected = motcua::dossier::policy::accept_due(
        &cal,
        &motcua::sla_rules::defaults(&app.state.settings),
        corrected.updated_at,
    );
    assert_eq!(corrected.accept_due_at, Some(expected), "8 working hours from the correction");
    let rounds = entity::supplement_round::Entity::find()
        .filter(entity::supplement_round::Column::DossierId.eq(corrected.id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(rounds.len(), 1);
    assert_eq!(rounds[0].stage, entity::supplement_round::Stage::Reception);
    assert_eq!(rounds[0].status, entity::supplement_round::RoundStatus::Answered);
    assert_eq!(rounds[0].answered_at, Some(corrected.updated_at), "answered with the correction");
}

#[tokio::test]
async fn two_tabs_answering_one_supplement_leave_one_answer_and_only_its_files() {
    let app = TestApp::spawn_with_sso().await;
    app.sso_sign_in("nguyen-van-an").await;
    let (id, _) = paid_press_card(&app).await;
    let (reception, specialist) = (official(&app, "tiepnhan").await, official(&app, "chuyenvien").await);
    reception_action(&app, &reception, &id, "tiep-nhan", "").await;
    act(&app, &reception, &id, "chuyen_tham_dinh", &[], None).await;
    let asked = [("documents", "Bản sao hợp đồng lao động có chứng thực"), ("reason", "Bản đã nộp không đọc được")];
    assert_eq!(act(&app, &specialist, &id, "yeu_cau_bo_sung", &asked, None).await.status(), StatusCode::SEE_OTHER);
    let (_, page) = app.get_html(&format!("/ho-so/{id}")).await;
    let (csrf, version) = (attribute(&page, "_csrf"), attribute(&page, "version"));
    let path = format!("/ho-so/{id}/bo-sung");
    let post = |name: &'static str| {
        let fields = [("_csrf", csrf.clone()), ("version", version.clone()), ("note", "Đã bổ sung".to_owned())];
        let app = &app;
        let path = path.clone();
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post_multipart(app, &app.client, &path, &fields, &[("file.2", name, pdf(4000, name))]).await.status()
        }
    };
    let (a, b) = tokio::join!(post("hop-dong-a.pdf"), post("hop-dong-b.pdf"));
    let mut statuses = [a, b];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT], "one answer wins");
    let d = dossier_json(&app, &app.client, &id).await;
    let answered: Vec<&str> = d["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["round"] == 1)
        .map(|x| x["file_name"].as_str().unwrap())
        .collect();
    assert_eq!(answered.len(), 1, "the losing tab's file is not attached: {answered:?}");
    assert_eq!(state_of(&app, &id).await.status.as_str(), "in_progress");
}

#[tokio::test]
async fn the_apology_is_offered_while_the_deadline_can_move_and_not_once_the_result_is_ready() {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let app = TestApp::spawn_with(crate::helpers::Options { press_office: false, ..Default::default() }).await;
    let unit = "000.00.45.H01";
    let p = crate::builders::ProcedureBuilder::new("9.900501", unit).create(&app).await;
    crate::builders::official_with(&app, "ld.h45", &[motcua::auth::role::Role::Leader], unit).await;
    let leader = official(&app, "ld.h45").await;
    let open = crate::builders::DossierBuilder::in_step(&p, "phe_duyet", "in_progress").insert(&app, 1).await;
    let ready = crate::builders::DossierBuilder::in_step(&p, "tra_ket_qua", "result_ready").insert(&app, 2).await;
    let mut m: entity::dossier::ActiveModel = ready.clone().into();
    m.finished_at = Set(Some(app.now()));
    m.update(&app.db).await.unwrap();
    let (_, page) = get_html_with(&leader, &app.url(&format!("/can-bo/ho-so/{}", open.public_id))).await;
    assert!(page.contains("/xin-loi\""), "offered while the dossier is processed");
    let (_, page) = get_html_with(&leader, &app.url(&format!("/can-bo/ho-so/{}", ready.public_id))).await;
    assert!(!page.contains("/xin-loi\""), "not once the result is ready");
}
