//! Public pages: the home page, the procedure catalogue and procedure details.
//! A visitor who has not signed in gets them from `public_pages`, rendered
//! once per catalogue version.

use actix_web::{HttpResponse, web};

use super::catalogue_query::{CatalogueQuery, insert_choices};
use super::render::{Ui, render};
use crate::catalogue::model::ApplicantType;
use crate::error::AppError;

pub async fn home(ui: Ui) -> Result<HttpResponse, AppError> {
    let published = ui.state.catalogue.current(&ui.state.db).await?;
    ui.state.pages.answer(&ui, published.counter, || {
        let mut fields: Vec<_> = published.refs.fields.values().collect();
        fields.sort_by(|a, b| a.name.cmp(&b.name));
        let mut ctx = ui.context();
        ctx.insert("fields", &fields.iter().map(|f| (&f.code, &f.name)).collect::<Vec<_>>());
        render(&ui.state.tera, "public/home.html", &ctx)
    })
}

pub async fn catalogue(ui: Ui, query: web::Query<CatalogueQuery>) -> Result<HttpResponse, AppError> {
    let parsed = query.parse()?;
    let published = ui.state.catalogue.current(&ui.state.db).await?;
    ui.state.pages.answer(&ui, published.counter, || {
        let page = published.search(&parsed.filter, parsed.page, parsed.per_page);
        let mut ctx = ui.context();
        insert_choices(&mut ctx, &published.refs);
        ctx.insert("applicants", &ApplicantType::ALL.iter().map(|a| a.as_str()).collect::<Vec<_>>());
        ctx.insert("query", &*query);
        ctx.insert("prev_url", &(page.page > 1).then(|| query.page_url("/thu-tuc", page.page - 1)));
        ctx.insert("next_url", &(page.page < page.pages).then(|| query.page_url("/thu-tuc", page.page + 1)));
        ctx.insert("result", &page);
        render(&ui.state.tera, "public/catalogue.html", &ctx)
    })
}

pub async fn procedure(ui: Ui, code: web::Path<String>) -> Result<HttpResponse, AppError> {
    let (counter, view) = ui.state.procedures.public_at(&ui.state.db, &code).await?;
    ui.state.pages.answer(&ui, counter, || {
        let mut ctx = ui.context();
        ctx.insert("p", &*view);
        ctx.insert("decimal_days", &view.record.time_limit.days_text(ui.lang == crate::i18n::Lang::Vi));
        render(&ui.state.tera, "public/procedure.html", &ctx)
    })
}
