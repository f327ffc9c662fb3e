//! Every route of the portal in one table, each with the access it requires.
//! The table both registers the routes and enforces their access (see
//! `access.rs`); the authorization matrix test walks the same table, so a new
//! route cannot be forgotten.

use std::path::Path;

use actix_web::body::BoxBody;
use actix_web::dev::ServiceRequest;
use actix_web::http::Method;
use actix_web::middleware::{Next, from_fn};
use actix_web::web::{self, ServiceConfig};
use actix_web::{HttpResponse, guard};

use super::access::{self, ADMIN, Access, LEADER, RECEPTION};
use super::{
    admin, admin_agencies, admin_audit, admin_calendar, admin_mail, admin_national_catalogue, admin_officials,
    admin_step_budgets, admin_sync, admin_time_rules, admin_workflow_versions, admin_workflows, api, auth_pages,
    dashboard, dossier_api, dossier_pages, forms, health, national_inbound, open_data, payments, processing, public,
    ratings, reception, statistics, uploads,
};
use crate::error::AppError;

/// A route as the authorization matrix sees it.
#[derive(Debug, Clone, Copy)]
pub struct RouteInfo {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

macro_rules! route_table {
    ($($method:ident $path:literal $access:expr => $handler:path;)*) => {
        pub const TABLE: &[RouteInfo] = &[$(RouteInfo { method: stringify!($method), path: $path, access: $access }),*];

        fn register(cfg: &mut ServiceConfig) {
            $(cfg.service(
                web::resource($path)
                    .guard(guard::Method(Method::$method))
                    .wrap(from_fn(move |req: ServiceRequest, next: Next<BoxBody>| access::enforce($access, req, next)))
                    .route(web::route().method(Method::$method).to($handler)),
            );)*
        }
    };
}

use Access::{Applicant, Official, Public};

route_table! {
    GET "/healthz" Public => health::healthz;
    GET "/readyz" Public => health::readyz;
    GET "/" Public => public::home;
    GET "/thu-tuc" Public => public::catalogue;
    GET "/thu-tuc/{code}" Public => public::procedure;
    GET "/thu-tuc/{code}/nop-ho-so" Applicant => dossier_pages::start_page;
    POST "/thu-tuc/{code}/nop-ho-so" Applicant => dossier_pages::start;
    GET "/tra-cuu" Public => dossier_api::lookup_page;

    GET "/ho-so" Applicant => dossier_pages::mine;
    POST "/ho-so/{id}/thanh-toan" Applicant => payments::pay;
    GET "/ho-so/{id}/bien-lai/{txn}" Applicant => payments::receipt;
    GET "/thanh-toan/ket-qua" Public => payments::returned;
    GET "/api/v1/thanh-toan/vnpay/ipn" Public => payments::ipn;
    POST "/api/v1/national/dossiers" Public => national_inbound::receive;
    GET "/ho-so/{id}" Applicant => dossier_pages::show;
    GET "/ho-so/{id}/sua" Applicant => dossier_pages::edit_form;
    POST "/ho-so/{id}/sua" Applicant => dossier_pages::edit;
    GET "/ho-so/{id}/xem-lai" Applicant => dossier_pages::review;
    POST "/ho-so/{id}/nop" Applicant => dossier_pages::submit;
    POST "/ho-so/{id}/bo-sung" Applicant => dossier_pages::answer_supplement;
    POST "/ho-so/{id}/danh-gia" Applicant => ratings::give_on_page;
    GET "/danh-gia/{token}" Public => ratings::link_page;
    POST "/danh-gia/{token}" Public => ratings::link_give;
    GET "/can-bo/danh-gia" LEADER => ratings::unit_page;
    GET "/can-bo/chi-so-766" LEADER => statistics::office_page;
    GET "/can-bo/thong-ke" LEADER => dashboard::page;
    GET "/can-bo/thong-ke.csv" LEADER => dashboard::csv;
    POST "/ho-so/{id}/rut" Applicant => dossier_pages::withdraw;
    GET "/ho-so/{id}/tep/{file}" Applicant => dossier_pages::file;
    GET "/ho-so/{id}/phieu-tiep-nhan" Applicant => dossier_pages::receipt_page;
    GET "/ho-so/{id}/phieu-tiep-nhan.pdf" Applicant => dossier_pages::receipt_pdf;

    GET "/can-bo/hop-thu" Official => processing::inbox;
    POST "/can-bo/ho-so/{id}/nhan" Official => processing::claim;
    POST "/can-bo/ho-so/{id}/giao-lai" LEADER => processing::reassign;
    POST "/can-bo/ho-so/{id}/xin-loi" LEADER => processing::apologise;
    GET "/can-bo/ho-so/{id}/mau/{form}" Official => forms::dossier_form;
    GET "/can-bo/so-theo-doi" Official => forms::register;
    GET "/can-bo/ho-so/{id}/bien-lai/{txn}" Official => payments::receipt;
    GET "/can-bo/thanh-toan" Official => payments::list;
    GET "/can-bo/so-theo-doi.pdf" Official => forms::register_pdf;
    POST "/can-bo/ho-so/{id}/y-kien" Official => processing::comment;
    POST "/can-bo/ho-so/{id}/xu-ly/{action}" Official => processing::act;
    GET "/can-bo/ho-so/{id}/ket-qua" Official => processing::result;
    GET "/ho-so/{id}/ket-qua" Applicant => processing::result;
    GET "/can-bo/ho-so" Official => reception::list;
    GET "/can-bo/ho-so/{id}" Official => reception::show;
    GET "/can-bo/ho-so/{id}/tep/{file}" Official => dossier_pages::file;
    GET "/can-bo/ho-so/{id}/phieu-tiep-nhan" Official => dossier_pages::receipt_page;
    GET "/can-bo/ho-so/{id}/phieu-tiep-nhan.pdf" Official => dossier_pages::receipt_pdf;
    POST "/can-bo/ho-so/{id}/tiep-nhan" RECEPTION => reception::receive;
    POST "/can-bo/ho-so/{id}/yeu-cau-bo-sung" RECEPTION => reception::request_supplement;
    POST "/can-bo/ho-so/{id}/nhan-bo-sung" RECEPTION => reception::record_supplement;
    POST "/can-bo/ho-so/{id}/ban-nguoi-nop.pdf" RECEPTION => reception::applicant_copy;
    POST "/can-bo/ho-so/{id}/thu-phi" RECEPTION => reception::record_payment;
    POST "/can-bo/ho-so/{id}/tu-choi" RECEPTION => reception::refuse;
    GET "/can-bo/tiep-nhan-truc-tiep" RECEPTION => reception::counter_choose;
    GET "/can-bo/tiep-nhan-truc-tiep/{code}" RECEPTION => reception::counter_form;
    POST "/can-bo/tiep-nhan-truc-tiep/{code}" RECEPTION => reception::counter_create;

    GET "/dang-nhap" Public => auth_pages::sign_in_choice;
    GET "/dang-nhap/dvcqg" Public => auth_pages::sso_start;
    GET "/dang-nhap/dvcqg/callback" Public => auth_pages::sso_callback;
    GET "/can-bo/dang-nhap" Public => auth_pages::official_sign_in_page;
    POST "/can-bo/dang-nhap" Public => auth_pages::official_sign_in;
    POST "/dang-xuat" Public => auth_pages::sign_out;
    GET "/tai-khoan" Applicant => auth_pages::applicant_home;
    GET "/can-bo" Official => auth_pages::official_home;
    GET "/can-bo/mat-khau" Official => auth_pages::password_page;
    POST "/can-bo/mat-khau" Official => auth_pages::change_password;
    POST "/can-bo/dang-xuat-moi-noi" Official => auth_pages::sign_out_everywhere;

    GET "/api/v1/openapi.json" Public => api::openapi;
    GET "/api/v1/procedures" Public => api::procedures;
    GET "/api/v1/procedures/{code}" Public => api::procedure;
    GET "/api/v1/agencies" Public => api::agencies;
    GET "/api/v1/fields" Public => api::fields;
    POST "/api/v1/uploads" Applicant => uploads::upload;
    GET "/api/v1/uploads" Applicant => uploads::list;
    GET "/api/v1/uploads/{id}" Applicant => uploads::download;
    POST "/api/v1/dossiers" Applicant => dossier_api::create;
    GET "/api/v1/dossiers" Applicant => dossier_api::list;
    GET "/api/v1/dossiers/{id}" Applicant => dossier_api::show;
    GET "/api/v1/dossiers/{id}/rating" Applicant => ratings::api_show;
    POST "/api/v1/dossiers/{id}/rating" Applicant => ratings::api_give;
    GET "/api/v1/dossiers/{code}/status" Public => dossier_api::status;
    GET "/api/v1/statistics/766" Public => statistics::index_766;
    GET "/api/v1/open-data/procedures" Public => open_data::procedures_json;
    GET "/api/v1/open-data/procedures.csv" Public => open_data::procedures_csv;
    GET "/api/v1/open-data/statistics" Public => open_data::statistics_json;
    GET "/api/v1/open-data/statistics.csv" Public => open_data::statistics_csv;
    GET "/thong-ke" Public => open_data::page;
    GET "/api/v1/admin/catalogue" ADMIN => api::export_catalogue;
    PUT "/api/v1/admin/catalogue" ADMIN => api::import_catalogue;

    GET "/quan-tri" ADMIN => admin::index;
    GET "/quan-tri/thu-tuc" ADMIN => admin::procedures;
    POST "/quan-tri/thu-tuc" ADMIN => admin::create;
    GET "/quan-tri/thu-tuc/moi" ADMIN => admin::new_form;
    GET "/quan-tri/thu-tuc/{code}/sua" ADMIN => admin::edit_form;
    POST "/quan-tri/thu-tuc/{code}/sua" ADMIN => admin::update;
    GET "/quan-tri/thu-tuc/{code}/thoi-han-buoc" ADMIN => admin_step_budgets::show;
    POST "/quan-tri/thu-tuc/{code}/thoi-han-buoc" ADMIN => admin_step_budgets::save;
    POST "/quan-tri/thu-tuc/{code}/cong-bo" ADMIN => admin::publish;
    POST "/quan-tri/thu-tuc/{code}/bai-bo" ADMIN => admin::abolish;
    GET "/quan-tri/danh-muc.json" ADMIN => admin::export;
    GET "/quan-tri/can-bo" ADMIN => admin_officials::list;
    GET "/quan-tri/can-bo/moi" ADMIN => admin_officials::new_form;
    POST "/quan-tri/can-bo" ADMIN => admin_officials::create;
    GET "/quan-tri/can-bo/{id}" ADMIN => admin_officials::edit_form;
    POST "/quan-tri/can-bo/{id}" ADMIN => admin_officials::update;
    POST "/quan-tri/can-bo/{id}/mat-khau" ADMIN => admin_officials::reset_password;
    GET "/quan-tri/co-quan" ADMIN => admin_agencies::list;
    POST "/quan-tri/co-quan" ADMIN => admin_agencies::create;
    GET "/quan-tri/co-quan/{code}" ADMIN => admin_agencies::edit_form;
    POST "/quan-tri/co-quan/{code}" ADMIN => admin_agencies::update;
    GET "/quan-tri/lich-lam-viec" ADMIN => admin_calendar::list;
    POST "/quan-tri/lich-lam-viec" ADMIN => admin_calendar::save;
    POST "/quan-tri/lich-lam-viec/{day}/xoa" ADMIN => admin_calendar::remove;
    GET "/quan-tri/quy-tac-thoi-han" ADMIN => admin_time_rules::show;
    POST "/quan-tri/quy-tac-thoi-han" ADMIN => admin_time_rules::save;
    POST "/quan-tri/quy-tac-thoi-han/ngay" ADMIN => admin_time_rules::save_day;
    POST "/quan-tri/quy-tac-thoi-han/ngay/xoa" ADMIN => admin_time_rules::remove_day;
    GET "/quan-tri/quy-trinh" ADMIN => admin_workflows::list;
    GET "/quan-tri/quy-trinh/{key}" ADMIN => admin_workflows::show;
    POST "/quan-tri/quy-trinh/moi" ADMIN => admin_workflow_versions::copy;
    GET "/quan-tri/quy-trinh/{key}/sua" ADMIN => admin_workflow_versions::edit_form;
    POST "/quan-tri/quy-trinh/{key}/sua" ADMIN => admin_workflow_versions::save;
    GET "/quan-tri/quy-trinh/{key}/phien-ban/{id}" ADMIN => admin_workflow_versions::show;
    POST "/quan-tri/quy-trinh/{key}/phien-ban/{id}/ap-dung" ADMIN => admin_workflow_versions::activate;
    GET "/quan-tri/doi-soat" ADMIN => payments::report;
    GET "/quan-tri/nhat-ky" ADMIN => admin_audit::list;
    GET "/quan-tri/thong-ke" ADMIN => dashboard::page;
    GET "/quan-tri/thong-ke.csv" ADMIN => dashboard::csv;
    GET "/quan-tri/thu-dien-tu" ADMIN => admin_mail::list;
    POST "/quan-tri/thu-dien-tu" ADMIN => admin_mail::send_test;
    GET "/quan-tri/danh-muc-quoc-gia" ADMIN => admin_national_catalogue::show;
    POST "/quan-tri/danh-muc-quoc-gia/lay" ADMIN => admin_national_catalogue::fetch;
    POST "/quan-tri/danh-muc-quoc-gia/{id}/ap-dung" ADMIN => admin_national_catalogue::apply;
    POST "/quan-tri/danh-muc-quoc-gia/{id}/bo-qua" ADMIN => admin_national_catalogue::dismiss;
    GET "/quan-tri/dong-bo" ADMIN => admin_sync::show;
    POST "/quan-tri/dong-bo/gui-lai" ADMIN => admin_sync::redrive_all;
    POST "/quan-tri/dong-bo/doi-soat" ADMIN => admin_sync::reconcile_now;
    POST "/quan-tri/dong-bo/ket-noi" ADMIN => admin_sync::register_client;
    POST "/quan-tri/dong-bo/ket-noi/{id}/thu-hoi" ADMIN => admin_sync::revoke_client;
    POST "/quan-tri/dong-bo/{id}/gui-lai" ADMIN => admin_sync::redrive_one;
    POST "/quan-tri/dong-bo/{id}/bo-qua" ADMIN => admin_sync::discard;
}

pub fn routes(cfg: &mut ServiceConfig, static_dir: &Path) {
    register(cfg);
    // A path served for other methods answers 405 with the methods it takes,
    // not 404 (registered after every route, so it only catches the rest).
    let mut paths: Vec<&'static str> = TABLE.iter().map(|r| r.path).collect();
    paths.sort_unstable();
    paths.dedup();
    for path in paths {
        let mut allow: Vec<&str> = TABLE.iter().filter(|r| r.path == path).map(|r| r.method).collect();
        if allow.contains(&"GET") {
            allow.push("HEAD");
        }
        let allow = allow.join(", ");
        cfg.service(
            web::resource(path).to(move || {
                let allow = allow.clone();
                async move {
                    HttpResponse::MethodNotAllowed().insert_header((actix_web::http::header::ALLOW, allow)).finish()
                }
            }),
        );
    }
    cfg.service(actix_files::Files::new("/static", static_dir).use_etag(true).use_last_modified(true))
        .default_service(web::to(not_found));
}

async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}
