//! Public pages as a visitor who has not signed in sees them, kept rendered
//! in each portal process for the catalogue version they show: the
//! catalogue search, the home page and the procedure pages are read far more
//! than the catalogue changes, and rendering is most of their cost. Such a
//! page depends on nothing but its language, path and query, the catalogue
//! (its change counter names the version) and the templates and texts of
//! this build; a signed-in person's pages carry their name and form tokens,
//! so they are rendered each time and never kept.
//!
//! Each kept page has an `ETag` naming all of that, so a browser or a cache
//! asking again (`If-None-Match`) gets `304 Not Modified` until the
//! catalogue changes. The API's catalogue search keeps its answers here too
//! (`kept`, `keep`): they depend on the query and the catalogue alone.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use actix_web::HttpResponse;
use actix_web::http::header::{self, CacheControl, CacheDirective};
use actix_web::web::Bytes;

use super::render::Ui;
use crate::digest::sha256_hex;
use crate::error::AppError;

/// What one process keeps at most; past it, it starts again (a visitor
/// sending ever new queries cannot make a process hold more).
const BUDGET_BYTES: usize = 16 << 20;

pub struct Pages {
    /// Of the templates and texts this process renders with.
    build: String,
    held: Mutex<Held>,
}

#[derive(Default)]
struct Held {
    counter: i64,
    bytes: usize,
    pages: HashMap<String, Bytes>,
}

impl Pages {
    pub fn new(build: String) -> Pages {
        Pages { build, held: Mutex::default() }
    }

    /// The page `ui` asks for at catalogue version `counter`: for a visitor
    /// who has not signed in, `304` if their copy is current, else the kept
    /// page, else `render`'s, kept; for anyone else, `render`'s.
    pub fn answer(
        &self,
        ui: &Ui,
        counter: i64,
        render: impl FnOnce() -> Result<String, AppError>,
    ) -> Result<HttpResponse, AppError> {
        if ui.viewer.is_some() {
            return Ok(html(render()?));
        }
        let request = ui.request();
        let key = format!("{}|{}?{}", ui.lang.code(), request.path(), request.query_string());
        let etag = format!("\"p{counter}-{}\"", &sha256_hex(format!("{}|{key}", self.build).as_bytes())[..20]);
        let cached = |r: &mut actix_web::HttpResponseBuilder| {
            // Stored, but asked again each time (`no-cache`); the page differs by the language and session cookies.
            r.insert_header((header::ETAG, etag.clone()))
                .insert_header(CacheControl(vec![CacheDirective::NoCache]))
                .insert_header((header::VARY, "Cookie"));
        };
        if matches_etag(request, &etag) {
            let mut r = HttpResponse::NotModified();
            cached(&mut r);
            return Ok(r.finish());
        }
        let page = match self.kept(counter, &key) {
            Some(page) => page,
            None => {
                let page = Bytes::from(render()?);
                self.keep(counter, key, page.clone());
                page
            }
        };
        let mut r = HttpResponse::Ok();
        cached(&mut r);
        Ok(r.content_type("text/html; charset=utf-8").body(page))
    }

    /// The answer kept under `key` at catalogue version `counter`, if any.
    pub fn kept(&self, counter: i64, key: &str) -> Option<Bytes> {
        let held = self.held.lock().ok()?;
        (held.counter == counter).then(|| held.pages.get(key).cloned()).flatten()
    }

    /// Keeps `page`, made at `counter`; the answers of an older counter go.
    pub fn keep(&self, counter: i64, key: String, page: Bytes) {
        let Ok(mut held) = self.held.lock() else { return };
        if held.counter > counter {
            return;
        }
        if held.counter < counter || held.bytes + page.len() > BUDGET_BYTES {
            *held = Held { counter, ..Held::default() };
        }
        held.bytes += page.len();
        if let Some(old) = held.pages.insert(key, page) {
            held.bytes -= old.len();
        }
    }
}

fn html(page: String) -> HttpResponse {
    HttpResponse::Ok().content_type("text/html; charset=utf-8").body(page)
}

/// Whether the request's `If-None-Match` names `etag` (weak or strong).
pub fn matches_etag(request: &actix_web::HttpRequest, etag: &str) -> bool {
    request.headers().get_all(header::IF_NONE_MATCH).filter_map(|v| v.to_str().ok()).any(|asked| {
        asked.split(',').any(|t| {
            let t = t.trim();
            t == "*" || t.trim_start_matches("W/") == etag
        })
    })
}

/// Names what the pages are rendered from: every template file under
/// `templates/` of `assets` and the interface texts, so that a new build's
/// pages never answer to an old build's `ETag`.
pub fn build_digest(assets: &Path, texts: &[&str]) -> String {
    let mut files = Vec::new();
    collect(&assets.join("templates"), &mut files);
    files.sort();
    let mut all = Vec::new();
    for (path, bytes) in files {
        all.extend_from_slice(path.as_bytes());
        all.extend_from_slice(&bytes);
    }
    for t in texts {
        all.extend_from_slice(t.as_bytes());
    }
    sha256_hex(&all)
}

fn collect(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push((path.to_string_lossy().into_owned(), bytes));
        }
    }
}
