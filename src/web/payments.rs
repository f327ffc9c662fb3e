//! Paying fees online: the applicant is sent to the gateway, comes back to
//! a page that shows what the portal knows (it never settles anything on
//! its own: only the IPN or reconciliation does), and gets an e-receipt for
//! what was paid. The gateway's IPN lands here too. Officials list their
//! unit's payments; admins read the day's reconciliation report.

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{NaiveDate, NaiveTime};
use entity::{dossier, payment};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};

use super::form::FormData;
use super::render::{Ui, see_other};
use crate::catalogue::model::Vnd;
use crate::dossier::access;
use crate::error::{AppError, FieldError};
use crate::forms::{self, FormDoc, Line};
use crate::payment::{PaymentStatus, settle, start, vnpay};
use crate::sla::local_time;

/// POST /ho-so/{id}/thanh-toan: off to the gateway for what is owed.
pub async fn pay(ui: Ui, id: web::Path<String>, _form: FormData) -> Result<HttpResponse, AppError> {
    let d = access::load(&ui.state.db, ui.principal()?, &id).await?;
    let p = crate::catalogue::revisions::of_dossier(&ui.state.db, &d).await?;
    // Only what is collected at this point of the dossier's life: a fee due with the result waits for it.
    let due = crate::dossier::money::payable_now(&p.record.fees, &d);
    let created = start::start(&ui.state, &d, due, &ui.actor(), ui.now()).await?;
    Ok(see_other(&start::pay_url(&ui.state, &created, &ui.ip())))
}

fn params_of(req: &HttpRequest) -> vnpay::Params {
    serde_urlencoded::from_str::<BTreeMap<String, String>>(req.query_string()).unwrap_or_default()
}

/// GET: the gateway's server-to-server notice. Answers in the gateway's codes.
pub async fn ipn(state: web::Data<crate::app::AppState>, req: HttpRequest) -> HttpResponse {
    let answer = match settle::ipn(&state, &params_of(&req), state.clock.now()).await {
        Ok(a) => a,
        Err(e) => {
            tracing::error!(error = %e, "IPN not handled");
            vnpay::IpnAnswer::Other
        }
    };
    HttpResponse::Ok().json(serde_json::json!({"RspCode": answer.code(), "Message": answer.message()}))
}

/// GET: where the payer's browser comes back. Shows; never confirms.
pub async fn returned(ui: Ui) -> Result<HttpResponse, AppError> {
    let params = params_of(ui.request());
    let genuine = vnpay::verify(&params, &ui.state.settings.payment.hash_secret);
    let found = match (genuine, params.get("vnp_TxnRef")) {
        (true, Some(txn_ref)) => {
            payment::Entity::find().filter(payment::Column::TxnRef.eq(txn_ref)).one(&ui.state.db).await?
        }
        _ => None,
    };
    let d = match &found {
        Some(p) => dossier::Entity::find_by_id(p.dossier_id).one(&ui.state.db).await?,
        None => None,
    };
    let mut ctx = ui.context();
    ctx.insert("genuine", &genuine);
    ctx.insert("payment", &found);
    ctx.insert("dossier_id", &d.map(|d| d.public_id));
    ctx.insert(
        "gateway_says",
        &params
            .get("vnp_ResponseCode")
            .map(|c| vnpay::outcome(c, params.get("vnp_TransactionStatus").map_or("", |s| s)) == vnpay::Outcome::Paid),
    );
    ui.render("payment/returned.html", &ctx)
}

/// The e-receipt (biên lai điện tử) of a paid payment.
async fn receipt_doc(ui: &Ui, id: &str, txn_ref: &str) -> Result<FormDoc, AppError> {
    let d = access::load(&ui.state.db, ui.principal()?, id).await?;
    let p = payment::Entity::find()
        .filter(payment::Column::TxnRef.eq(txn_ref))
        .filter(payment::Column::DossierId.eq(d.id))
        .filter(payment::Column::Status.eq(PaymentStatus::Paid.as_str()))
        .one(&ui.state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let procedure = crate::catalogue::revisions::of_dossier(&ui.state.db, &d).await?;
    // The ministry or province above the agency first, as on form 01.
    let (parent_agency, agency) = crate::forms::build::agencies(&ui.state.db, &d).await?;
    let paid_at = p.pay_date.or(p.settled_at).unwrap_or(p.created_at);
    let mut lines = vec![
        Line::Field("Mã giao dịch".into(), p.txn_ref.clone()),
        Line::Field("Số giao dịch tại cổng thanh toán".into(), p.gateway_txn_no.clone().unwrap_or_default()),
        Line::Field("Người nộp tiền".into(), d.applicant_name.clone()),
        Line::Field("Số định danh cá nhân/tổ chức".into(), d.applicant_id_number.clone()),
        Line::Field("Mã hồ sơ".into(), d.code.clone().unwrap_or_default()),
        Line::Field("Thủ tục".into(), format!("{} ({})", procedure.record.name, procedure.record.code)),
        Line::Text("Các khoản thu:".into()),
    ];
    for (i, fee) in procedure.record.fees.iter().enumerate() {
        let kind = if fee.kind.as_str() == "phi" { "Phí" } else { "Lệ phí" };
        lines.push(Line::Text(format!("{}. {kind}: {} — {}", i + 1, fee.name, Vnd(fee.amount_vnd))));
    }
    lines.push(Line::Field("Tổng số tiền đã nộp".into(), Vnd(p.amount_vnd).to_string()));
    lines.push(Line::Field(
        "Hình thức thanh toán".into(),
        format!("Trực tuyến, ngân hàng {}", p.bank_code.clone().unwrap_or_default()),
    ));
    lines.push(Line::Field("Thời gian thanh toán".into(), crate::dossier::receipt::moment_vi(paid_at)));
    if p.refunded_vnd > 0 {
        lines.push(Line::Field("Đã hoàn trả".into(), Vnd(p.refunded_vnd).to_string()));
    }
    Ok(FormDoc {
        number: "",
        parent_agency,
        agency,
        date_line: forms::date_line(paid_at),
        title: "BIÊN LAI THU PHÍ, LỆ PHÍ (ĐIỆN TỬ)".into(),
        subtitle: Some(format!("Ký hiệu: MC — Số: {}", p.txn_ref)),
        addressee: None,
        lines,
        table: None,
        signer_title: "ĐƠN VỊ THU".into(),
        signer: "(Biên lai điện tử, không cần chữ ký)".into(),
        hand_signed: false,
        landscape: false,
        reference: p.txn_ref,
    })
}

pub async fn receipt(ui: Ui, path: web::Path<(String, String)>) -> Result<HttpResponse, AppError> {
    let (id, asked) = path.into_inner();
    let (txn_ref, as_pdf) = match asked.strip_suffix(".pdf") {
        Some(t) => (t.to_owned(), true),
        None => (asked.clone(), false),
    };
    let doc = receipt_doc(&ui, &id, &txn_ref).await?;
    if as_pdf {
        return super::forms::pdf_response(&doc).await;
    }
    let mut ctx = ui.context();
    ctx.insert("doc", &doc);
    ctx.insert("pdf_url", &format!("{}.pdf", ui.path()));
    ui.render("forms/form.html", &ctx)
}

#[derive(Serialize)]
struct PaymentRow {
    #[serde(flatten)]
    payment: payment::Model,
    dossier_id: String,
    dossier_code: String,
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
}

/// The payments of the official's unit, newest first.
pub async fn list(ui: Ui, query: web::Query<ListQuery>) -> Result<HttpResponse, AppError> {
    let unit = ui.principal()?.unit_id.unwrap_or(-1);
    let mut of_unit = sea_orm::sea_query::Query::select();
    of_unit.column(dossier::Column::Id).from(dossier::Entity).and_where(dossier::Column::AgencyId.eq(unit));
    let mut find = payment::Entity::find().filter(payment::Column::DossierId.in_subquery(of_unit.to_owned()));
    if !query.status.is_empty() {
        let s = PaymentStatus::parse(&query.status)
            .ok_or_else(|| AppError::Validation(vec![FieldError::new("status", "invalid_choice")]))?;
        find = find.filter(payment::Column::Status.eq(s.as_str()));
    }
    let payments = find.order_by_desc(payment::Column::Id).limit(500).all(&ui.state.db).await?;
    let dossiers: BTreeMap<i64, dossier::Model> = dossier::Entity::find()
        .filter(dossier::Column::Id.is_in(payments.iter().map(|p| p.dossier_id)))
        .all(&ui.state.db)
        .await?
        .into_iter()
        .map(|d| (d.id, d))
        .collect();
    let rows: Vec<PaymentRow> = payments
        .into_iter()
        .filter_map(|p| {
            let d = dossiers.get(&p.dossier_id)?;
            Some(PaymentRow {
                dossier_id: d.public_id.clone(),
                dossier_code: d.code.clone().unwrap_or_default(),
                payment: p,
            })
        })
        .collect();
    let mut ctx = ui.context();
    ctx.insert("rows", &rows);
    ctx.insert("status", &query.status);
    ctx.insert("statuses", &PaymentStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>());
    ui.render("payment/list.html", &ctx)
}

#[derive(Deserialize)]
pub struct DayQuery {
    #[serde(default)]
    day: String,
}

#[derive(Serialize, Default)]
struct Tally {
    count: usize,
    vnd: i64,
}

/// The day's reconciliation: payments begun that day (Hà Nội time) by state, with totals.
pub async fn report(ui: Ui, query: web::Query<DayQuery>) -> Result<HttpResponse, AppError> {
    let today = local_time::to_local(ui.now()).date();
    let day = if query.day.trim().is_empty() {
        today
    } else {
        NaiveDate::parse_from_str(query.day.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::Validation(vec![FieldError::new("day", "invalid_date")]))?
    };
    let start = local_time::to_utc(day.and_time(NaiveTime::MIN));
    let end = local_time::to_utc(day.succ_opt().unwrap_or(day).and_time(NaiveTime::MIN));
    let rows = payment::Entity::find()
        .filter(payment::Column::CreatedAt.gte(start))
        .filter(payment::Column::CreatedAt.lt(end))
        .all(&ui.state.db)
        .await?;
    let mut by_status: BTreeMap<&str, Tally> =
        PaymentStatus::ALL.iter().map(|s| (s.as_str(), Tally::default())).collect();
    let (mut refunded, mut overpaid) = (Tally::default(), Tally::default());
    for p in &rows {
        if p.overpaid_vnd > 0 {
            overpaid.count += 1;
            overpaid.vnd += p.overpaid_vnd;
        }
        if let Some(t) = by_status.get_mut(p.status.as_str()) {
            t.count += 1;
            t.vnd += p.amount_vnd;
        }
        if p.refunded_vnd > 0 {
            refunded.count += 1;
            refunded.vnd += p.refunded_vnd;
        }
    }
    let net = by_status.get("paid").map_or(0, |t| t.vnd) - refunded.vnd;
    let mut ctx = ui.context();
    ctx.insert("day", &day.to_string());
    ctx.insert("by_status", &by_status);
    ctx.insert("refunded", &refunded);
    ctx.insert("overpaid", &overpaid);
    ctx.insert("net", &net);
    ctx.insert("total", &rows.len());
    ui.render("payment/report.html", &ctx)
}

/// What the applicant's dossier page shows of fees and payments.
pub async fn summary(
    db: &impl sea_orm::ConnectionTrait,
    d: &dossier::Model,
    fee_total: i64,
) -> Result<serde_json::Value, AppError> {
    let payments = crate::payment::of_dossier(db, d.id).await?;
    let owed = crate::payment::owed_vnd(db, d.id, fee_total).await?;
    Ok(serde_json::json!({"fee_total": fee_total, "owed": owed, "payments": payments}))
}

/// The same, with what may be paid now beside what is owed in all.
pub async fn applicant_summary(
    db: &impl sea_orm::ConnectionTrait,
    d: &dossier::Model,
    fees: &[crate::catalogue::record::FeeRecord],
) -> Result<serde_json::Value, AppError> {
    let mut shown = summary(db, d, crate::catalogue::fees::due_for(fees, &d.form_data)).await?;
    let payable = crate::payment::owed_vnd(db, d.id, crate::dossier::money::payable_now(fees, d)).await?;
    shown["payable"] = serde_json::json!(payable);
    Ok(shown)
}
