//! Public pages: the home page, the procedure catalogue and procedure details.

use actix_web::{HttpResponse, web};

use super::catalogue_query::CatalogueQuery;
use super::render::Ui;
use crate::catalogue::model::{ApplicantType, OnlineMode};
use crate::catalogue::store::Refs;
use crate::error::AppError;

pub async fn home(ui: Ui) -> Result<HttpResponse, AppError> {
    let refs = Refs::load(&ui.state.db).await?;
    let mut fields: Vec<_> = refs.fields.values().collect();
    fields.sort_by(|a, b| a.name.cmp(&b.name));
    let mut ctx = ui.context();
    ctx.insert("fields", &fields.iter().map(|f| (&f.code, &f.name)).collect::<Vec<_>>());
    ui.render("public/home.html", &ctx)
}

pub async fn catalogue(ui: Ui, query: web::Query<CatalogueQuery>) -> Result<HttpResponse, AppError> {
    let parsed = query.parse()?;
    let published = ui.state.catalogue.current(&ui.state.db).await?;
    let page = published.search(&parsed.filter, parsed.page, parsed.per_page);
    let refs = &published.refs;
    let mut ctx = ui.context();
    let mut agencies: Vec<_> = refs.agencies.values().map(|a| (&a.code, &a.name)).collect();
    agencies.sort();
    let mut fields: Vec<_> = refs.fields.values().map(|f| (&f.code, &f.name)).collect();
    fields.sort_by(|a, b| a.1.cmp(b.1));
    ctx.insert("agencies", &agencies);
    ctx.insert("fields", &fields);
    ctx.insert("modes", &OnlineMode::ALL.iter().map(|m| m.as_str()).collect::<Vec<_>>());
    ctx.insert("applicants", &ApplicantType::ALL.iter().map(|a| a.as_str()).collect::<Vec<_>>());
    ctx.insert("query", &*query);
    ctx.insert("prev_url", &(page.page > 1).then(|| query.page_url("/thu-tuc", page.page - 1)));
    ctx.insert("next_url", &(page.page < page.pages).then(|| query.page_url("/thu-tuc", page.page + 1)));
    ctx.insert("result", &page);
    ui.render("public/catalogue.html", &ctx)
}

pub async fn procedure(ui: Ui, code: web::Path<String>) -> Result<HttpResponse, AppError> {
    let view = ui.state.procedures.public(&ui.state.db, &code).await?;
    let mut ctx = ui.context();
    ctx.insert("p", &*view);
    ctx.insert("decimal_days", &view.record.time_limit.days_text(ui.lang == crate::i18n::Lang::Vi));
    ui.render("public/procedure.html", &ctx)
}
