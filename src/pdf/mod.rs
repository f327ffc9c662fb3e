//! Printable documents as PDF: the forms of TT 03/2025/TT-VPCP. Text is set
//! in DejaVu Sans (vendored under `static/fonts/` with its licence), which
//! has every Vietnamese letter; krilla embeds only the glyphs a document uses.
//!
//! A document is laid out first (`Layout`, pure arithmetic on measured
//! text), then drawn page by page.

pub mod layout;
pub mod qr;

use std::sync::LazyLock;

use krilla::Document;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::text::{Font, TextDirection};

pub use layout::Layout;

static REGULAR_BYTES: &[u8] = include_bytes!("../../static/fonts/DejaVuSans.ttf");
static BOLD_BYTES: &[u8] = include_bytes!("../../static/fonts/DejaVuSans-Bold.ttf");

static REGULAR: LazyLock<Option<Font>> = LazyLock::new(|| Font::new(REGULAR_BYTES.into(), 0));
static BOLD: LazyLock<Option<Font>> = LazyLock::new(|| Font::new(BOLD_BYTES.into(), 0));

/// A4 in points.
pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

/// One thing drawn on a page, at page coordinates (points, y down).
#[derive(Debug, Clone)]
pub enum Op {
    Text { x: f32, baseline: f32, size: f32, weight: Weight, text: String },
    Rect { x: f32, y: f32, w: f32, h: f32 },
}

/// The width of `text` set at `size` points.
pub fn measure(text: &str, size: f32, weight: Weight) -> f32 {
    use skrifa::MetadataProvider;
    use skrifa::instance::{LocationRef, Size};
    let bytes = match weight {
        Weight::Regular => REGULAR_BYTES,
        Weight::Bold => BOLD_BYTES,
    };
    let Ok(font) = skrifa::FontRef::new(bytes) else {
        return text.chars().count() as f32 * size * 0.6;
    };
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
    text.chars().map(|c| charmap.map(c).and_then(|g| metrics.advance_width(g)).unwrap_or(size * 0.6)).sum()
}

/// Draws the pages of `layout`; `title` goes into the document's metadata.
pub fn render(layout: &Layout, title: &str) -> anyhow::Result<Vec<u8>> {
    let (Some(regular), Some(bold)) = (REGULAR.clone(), BOLD.clone()) else {
        anyhow::bail!("the embedded font does not load");
    };
    let mut document = Document::new();
    document.set_metadata(Metadata::new().title(title.to_owned()).language("vi".into()).creator("motcua".into()));
    for ops in layout.pages() {
        let (w, h) = layout.page_size();
        let settings = PageSettings::from_wh(w, h).ok_or_else(|| anyhow::anyhow!("page size"))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        for op in ops {
            match op {
                Op::Text { x, baseline, size, weight, text } => {
                    let font = if *weight == Weight::Bold { bold.clone() } else { regular.clone() };
                    surface.draw_text(Point::from_xy(*x, *baseline), font, *size, text, false, TextDirection::Auto);
                }
                Op::Rect { x, y, w, h } => {
                    let mut builder = PathBuilder::new();
                    if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                        builder.push_rect(rect);
                    }
                    if let Some(path) = builder.finish() {
                        surface.draw_path(&path);
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| anyhow::anyhow!("PDF: {e:?}"))
}
