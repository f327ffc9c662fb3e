//! The units tests work in, built by the tests themselves (STYLE.md, Tests)
//! rather than taken from the demo catalogue: the press office (Cục Báo chí,
//! 000.01.00.G12) under its ministry, two of its procedures and its three
//! officials, which every `TestApp::spawn` builds; and the publishing office
//! (Cục Xuất bản, 000.02.00.G12) with procedures for businesses under the
//! other workflows, which a test builds when it needs it (`publishing`).
//! A test that needs some other agency or procedure builds it with
//! `builders::ProcedureBuilder`.

use motcua::auth::accounts::{self, NewOfficial};
use motcua::auth::role::Role;
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp};

/// The press office's code (a ministry's department, as the national codes go).
pub const UNIT: &str = "000.01.00.G12";
/// The publishing office's.
pub const PUBLISHING: &str = "000.02.00.G12";
/// The radio frequency office's: a partner agency in transfers, without procedures.
pub const FREQUENCIES: &str = "000.03.00.G12";
/// Its ministry.
pub const MINISTRY: &str = "000.00.00.G12";

/// The press office's officials: username, name, role.
pub const OFFICIALS: &[(&str, &str, Role)] = &[
    ("tiepnhan", "Nguyễn Thị Lan", Role::Reception),
    ("chuyenvien", "Phạm Văn Minh", Role::Specialist),
    ("lanhdao", "Hoàng Thị Thu", Role::Leader),
];

/// The e-form both procedures ask for.
fn person_form() -> serde_json::Value {
    json!({"fields": [
        {"name": "ho_ten", "label": "Họ và tên", "label_en": "Full name", "type": "text", "required": true, "max_length": 100},
        {"name": "so_dinh_danh", "label": "Số định danh cá nhân", "label_en": "Personal identification number", "type": "citizen_id", "required": true},
        {"name": "ngay_sinh", "label": "Ngày sinh", "label_en": "Date of birth", "type": "date", "required": true},
        {"name": "dia_chi", "label": "Địa chỉ thường trú", "label_en": "Permanent address", "type": "address", "required": true},
        {"name": "dien_thoai", "label": "Số điện thoại", "label_en": "Phone", "type": "phone", "required": true},
        {"name": "email", "label": "Thư điện tử", "label_en": "E-mail", "type": "email"}
    ]})
}

/// A press card procedure of the unit, processed by the three-step workflow.
fn procedure(code: &str, name: &str, days: i32, documents: serde_json::Value, fee: (&str, i64)) -> serde_json::Value {
    json!({
        "code": code, "name": name, "agency_code": UNIT, "field_code": "BAOCHI",
        "online_mode": "full_online", "applicant_types": ["citizen"],
        "description": format!("{name} cho người làm báo theo Luật Báo chí."),
        "steps": "Bước 1: Nộp hồ sơ trực tuyến hoặc tại Bộ phận Một cửa.\nBước 2: Tiếp nhận, hẹn trả kết quả.\nBước 3: Thẩm định, phê duyệt.\nBước 4: Trả kết quả.",
        "time_limit": {"hours": days * 8, "unit": "working_days"},
        "legal_basis": "Luật Báo chí số 103/2016/QH13; Thông tư số 31/2021/TT-BTTTT", "result": "Thẻ nhà báo",
        "presence_required": false, "status": "published", "eform_schema": person_form(),
        "workflow_key": "mot-cua-3-buoc", "documents": documents,
        "fees": [{"kind": "le_phi", "name": fee.0, "amount_vnd": fee.1, "note": ""}],
    })
}

/// Builds the press office in `app`: agencies, field, procedures 1.004227
/// (three documents, 30 working days, a 100.000 đ fee) and 1.004236
/// (received on submission, 5 working days, 50.000 đ), and the officials.
pub async fn build(app: &TestApp) {
    import(app, press_office()).await;
    for (username, name, role) in OFFICIALS {
        let new = NewOfficial {
            username: (*username).into(),
            full_name: (*name).into(),
            email: None,
            unit_code: Some(UNIT.into()),
            roles: vec![*role],
            password: PASSWORD.into(),
            shared_hash: true,
        };
        accounts::create_official(&app.db, new, app.now()).await.expect("official created");
    }
}

async fn import(app: &TestApp, catalogue: serde_json::Value) {
    let catalogue = serde_json::from_value(catalogue).expect("a valid catalogue");
    let actor = motcua::audit::Actor::system("test fixture");
    motcua::catalogue::transfer::import(&app.db, catalogue, &actor, app.now()).await.expect("imported");
}

fn press_office() -> serde_json::Value {
    let mut reissue = procedure(
        "1.004236",
        "Cấp lại thẻ nhà báo",
        5,
        json!([
            {"name": "Tờ khai đề nghị cấp lại thẻ nhà báo (Mẫu số 02)", "required": true, "copy_kind": "copy", "quantity": 1},
            {"name": "Văn bản xác nhận của cơ quan báo chí về việc mất thẻ", "required": true, "copy_kind": "original", "quantity": 1}
        ]),
        ("Lệ phí cấp lại thẻ nhà báo", 50_000),
    );
    reissue["auto_receive"] = json!(true);
    json!({
        "format": "motcua-catalogue",
        "version": 1,
        "agencies": [
            {"code": MINISTRY, "name": "Bộ Thông tin và Truyền thông", "level": "central"},
            {"code": UNIT, "name": "Cục Báo chí", "parent_code": MINISTRY, "level": "central"}
        ],
        "fields": [{"code": "BAOCHI", "name": "Báo chí"}],
        "procedures": [
            procedure(
                "1.004227",
                "Cấp thẻ nhà báo",
                30,
                json!([
                    {"name": "Tờ khai đề nghị cấp thẻ nhà báo (Mẫu số 01)", "required": true, "copy_kind": "copy", "quantity": 1},
                    {"name": "Bản sao quyết định tuyển dụng hoặc hợp đồng lao động", "required": true, "copy_kind": "copy", "quantity": 1},
                    {"name": "Ảnh chân dung 2x3 cm", "required": true, "copy_kind": "electronic", "quantity": 1}
                ]),
                ("Lệ phí cấp thẻ nhà báo", 100_000),
            ),
            reissue,
        ],
    })
}

/// The e-form of a business's application.
fn business_form(extra: &[serde_json::Value]) -> serde_json::Value {
    let mut fields = vec![
        json!({"name": "ten_to_chuc", "label": "Tên tổ chức, doanh nghiệp", "label_en": "Organisation name", "type": "text", "required": true, "max_length": 255}),
        json!({"name": "ma_so_thue", "label": "Mã số thuế / mã số doanh nghiệp", "label_en": "Tax code", "type": "tax_code", "required": true}),
        json!({"name": "nguoi_dai_dien", "label": "Người đại diện theo pháp luật", "label_en": "Legal representative", "type": "text", "required": true}),
        json!({"name": "dia_chi_tru_so", "label": "Địa chỉ trụ sở chính", "label_en": "Head office address", "type": "address", "required": true}),
        json!({"name": "dien_thoai", "label": "Số điện thoại", "label_en": "Phone", "type": "phone", "required": true}),
        json!({"name": "email", "label": "Thư điện tử", "label_en": "E-mail", "type": "email", "required": true}),
    ];
    fields.extend_from_slice(extra);
    json!({"fields": fields})
}

/// Builds the publishing office and its partner agency, with three
/// procedures for businesses: 1.003725 (inter-agency workflow, three
/// documents, no fee), 1.003733 (field inspection, three documents, no
/// fee), 1.003727 (its fee due on submission, two documents)
/// and 1.003729 (a fee per title, due after appraisal, two documents). No
/// officials: a test creates those it needs.
pub async fn publishing(app: &TestApp) {
    let procedure = |code: &str, name: &str, days: i32, workflow: &str, documents: &[&str]| {
        json!({
            "code": code, "name": name, "agency_code": PUBLISHING, "field_code": "XUATBAN",
            "online_mode": "full_online", "applicant_types": ["business"],
            "description": format!("{name}."), "steps": "Nộp, tiếp nhận, thẩm định, phê duyệt, trả kết quả.",
            "time_limit": {"hours": days * 8, "unit": "working_days"},
            "legal_basis": "Luật Xuất bản số 19/2012/QH13; Nghị định số 195/2013/NĐ-CP", "result": name.replacen("Cấp ", "", 1),
            "presence_required": false, "status": "published", "eform_schema": business_form(&[]),
            "workflow_key": workflow,
            "documents": documents.iter().map(|d| json!({"name": d, "required": true, "copy_kind": "electronic", "quantity": 1})).collect::<Vec<_>>(),
            "fees": [],
        })
    };
    let founding = procedure(
        "1.003725",
        "Cấp giấy phép thành lập nhà xuất bản",
        10,
        "lien-thong",
        &["Đơn đề nghị cấp giấy phép", "Đề án thành lập nhà xuất bản", "Sơ yếu lý lịch người dự kiến bổ nhiệm"],
    );
    let printing = procedure(
        "1.003733",
        "Cấp giấy phép hoạt động in xuất bản phẩm",
        5,
        "tham-dinh-thuc-te",
        &["Đơn đề nghị cấp giấy phép hoạt động in", "Giấy chứng nhận đăng ký doanh nghiệp", "Danh mục thiết bị in"],
    );
    let mut documents = procedure(
        "1.003727",
        "Cấp giấy phép xuất bản tài liệu không kinh doanh",
        10,
        "thu-phi-khi-nop",
        &["Đơn đề nghị cấp giấy phép", "Bản thảo tài liệu"],
    );
    documents["applicant_types"] = json!(["business", "citizen"]);
    documents["fees"] = json!([{"kind": "le_phi", "name": "Lệ phí cấp giấy phép xuất bản tài liệu không kinh doanh",
                                 "amount_vnd": 200_000, "note": "nộp khi nộp hồ sơ"}]);
    let mut imports = procedure(
        "1.003729",
        "Cấp giấy phép nhập khẩu xuất bản phẩm để kinh doanh",
        15,
        "thu-phi-sau-tham-dinh",
        &["Đơn đề nghị cấp giấy phép nhập khẩu", "Danh mục xuất bản phẩm nhập khẩu"],
    );
    imports["eform_schema"] =
        business_form(&[json!({"name": "so_ten_xuat_ban_pham", "label": "Số tên xuất bản phẩm đề nghị thẩm định",
        "label_en": "Number of titles to appraise", "type": "number", "required": true})]);
    imports["fees"] = json!([{"kind": "phi", "name": "Phí thẩm định nội dung xuất bản phẩm nhập khẩu", "amount_vnd": 500_000,
        "note": "tính theo từng tên xuất bản phẩm", "per_item": "so_ten_xuat_ban_pham", "collected": "before_result"}]);
    import(
        app,
        json!({
            "format": "motcua-catalogue",
            "version": 1,
            "agencies": [
                {"code": MINISTRY, "name": "Bộ Thông tin và Truyền thông", "level": "central"},
                {"code": PUBLISHING, "name": "Cục Xuất bản, In và Phát hành", "parent_code": MINISTRY, "level": "central"},
                {"code": FREQUENCIES, "name": "Cục Tần số vô tuyến điện", "parent_code": MINISTRY, "level": "central"}
            ],
            "fields": [{"code": "XUATBAN", "name": "Xuất bản, In và Phát hành"}],
            "procedures": [founding, printing, documents, imports],
        }),
    )
    .await;
}
