//! Flowing text down A4 pages: lines wrapped at word boundaries to the
//! measured width, a new page when the current one is full.

use super::{Op, PAGE_HEIGHT, PAGE_WIDTH, Weight, measure};

const MARGIN: f32 = 56.0;
const LINE_GAP: f32 = 1.35;

pub struct Layout {
    pages: Vec<Vec<Op>>,
    /// Top of the next line on the current page.
    y: f32,
    /// Page size in points: A4 upright, or lying for wide registers.
    page_width: f32,
    page_height: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
}

impl Default for Layout {
    fn default() -> Self {
        Layout { pages: vec![Vec::new()], y: MARGIN, page_width: PAGE_WIDTH, page_height: PAGE_HEIGHT }
    }
}

impl Layout {
    pub fn pages(&self) -> &[Vec<Op>] {
        &self.pages
    }

    /// A4 lying on its side, for tables with many columns.
    pub fn landscape() -> Self {
        Layout { page_width: PAGE_HEIGHT, page_height: PAGE_WIDTH, ..Layout::default() }
    }

    pub fn page_size(&self) -> (f32, f32) {
        (self.page_width, self.page_height)
    }

    pub fn width(&self) -> f32 {
        self.page_width - 2.0 * MARGIN
    }

    pub fn left() -> f32 {
        MARGIN
    }

    pub fn y(&self) -> f32 {
        self.y
    }

    pub fn set_y(&mut self, y: f32) {
        self.y = y;
    }

    pub fn gap(&mut self, points: f32) {
        self.y += points;
    }

    fn current(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn room_for(&mut self, height: f32) {
        if self.y + height > self.page_height - MARGIN {
            self.pages.push(Vec::new());
            self.y = MARGIN;
        }
    }

    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32) {
        self.current().push(Op::Rect { x, y, w, h });
    }

    /// Text between `x` and `x + width`, wrapped; returns the lines used.
    pub fn text_in(&mut self, x: f32, width: f32, text: &str, size: f32, weight: Weight, align: Align) -> usize {
        let lines = wrap(text, size, weight, width);
        for line in &lines {
            self.room_for(size * LINE_GAP);
            let offset = match align {
                Align::Left => 0.0,
                Align::Center => ((width - measure(line, size, weight)) / 2.0).max(0.0),
            };
            let baseline = self.y + size;
            self.current().push(Op::Text { x: x + offset, baseline, size, weight, text: line.clone() });
            self.y += size * LINE_GAP;
        }
        lines.len()
    }

    pub fn paragraph(&mut self, text: &str, size: f32, weight: Weight) {
        self.text_in(MARGIN, self.width(), text, size, weight, Align::Left);
    }

    pub fn centered(&mut self, text: &str, size: f32, weight: Weight) {
        self.text_in(MARGIN, self.width(), text, size, weight, Align::Center);
    }

    /// "Label: value" with the value wrapped under itself.
    pub fn labelled(&mut self, label: &str, value: &str, size: f32) {
        let label_text = format!("{label}: ");
        let label_width = measure(&label_text, size, Weight::Regular).min(self.width() / 2.0);
        self.room_for(size * LINE_GAP);
        let top = self.y;
        self.current().push(Op::Text {
            x: MARGIN,
            baseline: top + size,
            size,
            weight: Weight::Regular,
            text: label_text,
        });
        self.text_in(MARGIN + label_width, self.width() - label_width, value, size, Weight::Bold, Align::Left);
    }
}

impl Layout {
    /// A ruled table: `widths` are shares of the text width; the header is
    /// bold and repeated on each new page; a row never splits across pages.
    pub fn table(&mut self, widths: &[f32], header: &[String], rows: &[Vec<String>], size: f32) {
        let total: f32 = widths.iter().sum();
        let cols: Vec<f32> = widths.iter().map(|w| w / total * self.width()).collect();
        let pad = 3.0;
        let line = size * LINE_GAP;
        let height = |cells: &[String], weight: Weight| {
            cells.iter().zip(&cols).map(|(c, w)| wrap(c, size, weight, w - 2.0 * pad).len().max(1)).max().unwrap_or(1)
                as f32
                * line
                + 2.0 * pad
        };
        let header_height = height(header, Weight::Bold);
        self.room_for(header_height);
        self.row(&cols, header, Weight::Bold, size, header_height, pad);
        for r in rows {
            let h = height(r, Weight::Regular);
            if self.y + h > self.page_height - MARGIN {
                self.pages.push(Vec::new());
                self.y = MARGIN;
                self.row(&cols, header, Weight::Bold, size, header_height, pad);
            }
            self.row(&cols, r, Weight::Regular, size, h, pad);
        }
    }

    fn row(&mut self, cols: &[f32], cells: &[String], weight: Weight, size: f32, height: f32, pad: f32) {
        let top = self.y;
        let rule = 0.5;
        let mut x = MARGIN;
        self.rect(MARGIN, top, self.width(), rule);
        for (cell, w) in cells.iter().zip(cols) {
            self.rect(x, top, rule, height);
            self.y = top + pad;
            self.text_in(x + pad, w - 2.0 * pad, cell, size, weight, Align::Left);
            x += w;
        }
        self.rect(MARGIN + self.width() - rule, top, rule, height);
        self.rect(MARGIN, top + height, self.width(), rule);
        self.y = top + height;
    }
}

/// Splits `text` into lines no wider than `width`; a word longer than a line is cut.
pub fn wrap(text: &str, size: f32, weight: Weight, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
            if measure(&candidate, size, weight) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                if measure(&piece, size, weight) > width {
                    piece.pop();
                    lines.push(std::mem::take(&mut piece));
                    piece.push(c);
                }
            }
            line = piece;
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fit_the_width_and_keep_every_word() {
        let text =
            "Giấy tiếp nhận hồ sơ và hẹn trả kết quả cho thủ tục cấp thẻ nhà báo của Bộ Thông tin và Truyền thông";
        let lines = wrap(text, 11.0, Weight::Regular, 150.0);
        assert!(lines.len() > 2);
        assert!(lines.iter().all(|l| measure(l, 11.0, Weight::Regular) <= 150.0));
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn a_full_page_continues_on_the_next() {
        let mut layout = Layout::default();
        for i in 0..80 {
            layout.paragraph(&format!("Dòng {i}"), 11.0, Weight::Regular);
        }
        assert_eq!(layout.pages().len(), 2);
    }
}
