//! QR codes (TCVN 7322:2009 = ISO/IEC 18004) for the forms: the lookup
//! address of a dossier, as SVG for pages and as squares for PDFs.

use qrcode::{EcLevel, QrCode};

/// The dark modules of the code for `text`, with the side in modules (quiet zone included).
pub fn modules(text: &str) -> Option<(usize, Vec<(usize, usize)>)> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let quiet = 4;
    let colors = code.to_colors();
    let dark = colors
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == qrcode::Color::Dark)
        .map(|(i, _)| (i % width + quiet, i / width + quiet))
        .collect();
    Some((width + 2 * quiet, dark))
}

/// An SVG image of the code, to inline in a page.
pub fn svg(text: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    Some(code.render::<qrcode::render::svg::Color>().min_dimensions(160, 160).build())
}

/// Draws the code with its top-left corner at (`x`, `y`), `size` points wide.
pub fn draw(layout: &mut super::Layout, text: &str, x: f32, y: f32, size: f32) -> bool {
    let Some((side, dark)) = modules(text) else {
        return false;
    };
    let unit = size / side as f32;
    for (col, row) in dark {
        layout.rect(x + col as f32 * unit, y + row as f32 * unit, unit, unit);
    }
    true
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_lookup_address_fits_a_code() {
        let (side, dark) =
            super::modules("https://dichvucong.example.vn/tra-cuu?code=000.00.20.H26-250715-0001").unwrap();
        assert!(side >= 29 && !dark.is_empty());
        assert!(super::svg("x").unwrap().contains("<svg"));
    }
}
