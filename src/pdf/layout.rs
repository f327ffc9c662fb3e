//! Flowing text down A4 pages: lines wrapped at word boundaries to the
//! measured width, a new page when the current one is full.

use super::{Op, PAGE_HEIGHT, PAGE_WIDTH, Weight, measure};

const MARGIN: f32 = 56.0;
const LINE_GAP: f32 = 1.35;

pub struct Layout {
    pages: Vec<Vec<Op>>,
    /// Top of the next line on the current page.
    y: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
}

impl Default for Layout {
    fn default() -> Self {
        Layout { pages: vec![Vec::new()], y: MARGIN }
    }
}

impl Layout {
    pub fn pages(&self) -> &[Vec<Op>] {
        &self.pages
    }

    pub fn width() -> f32 {
        PAGE_WIDTH - 2.0 * MARGIN
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
        if self.y + height > PAGE_HEIGHT - MARGIN {
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
        self.text_in(MARGIN, Self::width(), text, size, weight, Align::Left);
    }

    pub fn centered(&mut self, text: &str, size: f32, weight: Weight) {
        self.text_in(MARGIN, Self::width(), text, size, weight, Align::Center);
    }

    /// "Label: value" with the value wrapped under itself.
    pub fn labelled(&mut self, label: &str, value: &str, size: f32) {
        let label_text = format!("{label}: ");
        let label_width = measure(&label_text, size, Weight::Regular).min(Self::width() / 2.0);
        self.room_for(size * LINE_GAP);
        let top = self.y;
        self.current().push(Op::Text {
            x: MARGIN,
            baseline: top + size,
            size,
            weight: Weight::Regular,
            text: label_text,
        });
        self.text_in(MARGIN + label_width, Self::width() - label_width, value, size, Weight::Bold, Align::Left);
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
