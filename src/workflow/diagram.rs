//! A workflow drawn as an SVG for the admin page: states in columns by
//! their distance from the first state, actions as arrows labelled with
//! their names. The page also lists states and actions as tables, which are
//! the text alternative for readers who cannot see the drawing.

use std::collections::VecDeque;
use std::fmt::Write;

use super::model::{WfRole, Workflow};

const BOX_W: f32 = 176.0;
const BOX_H: f32 = 56.0;
const COL_GAP: f32 = 150.0;
const ROW_GAP: f32 = 56.0;
const MARGIN: f32 = 24.0;
/// Characters per line of a state's label inside its box.
const LINE_CHARS: usize = 24;

/// Each state's column: the fewest actions from the first state.
fn columns(wf: &Workflow) -> Vec<usize> {
    let mut col = vec![usize::MAX; wf.states.len()];
    col[wf.initial] = 0;
    let mut queue = VecDeque::from([wf.initial]);
    while let Some(s) = queue.pop_front() {
        for a in wf.actions.iter().filter(|a| a.from.contains(&s)) {
            if col[a.to] == usize::MAX {
                col[a.to] = col[s] + 1;
                queue.push_back(a.to);
            }
        }
    }
    // The checker refuses unreachable states; drawn in the first column all the same.
    col.iter().map(|c| if *c == usize::MAX { 0 } else { *c }).collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Splits a label into at most two lines at spaces.
fn lines(label: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    for word in label.split_whitespace() {
        let lines = out.len();
        let last = out.last_mut().expect("one line at least");
        if !last.is_empty() && last.chars().count() + 1 + word.chars().count() > LINE_CHARS && lines < 2 {
            out.push(word.to_owned());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    out
}

fn fill(role: Option<WfRole>, terminal: bool) -> &'static str {
    if terminal {
        return "#e8e8e8";
    }
    match role {
        Some(WfRole::Reception) => "#dcecfb",
        Some(WfRole::Specialist) => "#e3f4e1",
        Some(WfRole::Leader) => "#fbeed5",
        Some(WfRole::Applicant) => "#f6e1ef",
        None => "#ffffff",
    }
}

/// The SVG of `wf`, labels in English when `en`.
pub fn svg(wf: &Workflow, en: bool) -> String {
    let col = columns(wf);
    let mut row = vec![0usize; wf.states.len()];
    let mut per_col = vec![0usize; col.iter().max().map_or(1, |m| m + 1)];
    for (i, c) in col.iter().enumerate() {
        row[i] = per_col[*c];
        per_col[*c] += 1;
    }
    let pos = |i: usize| (MARGIN + col[i] as f32 * (BOX_W + COL_GAP), MARGIN + row[i] as f32 * (BOX_H + ROW_GAP));
    let rows = per_col.iter().copied().max().unwrap_or(1) as f32;
    let width = MARGIN * 2.0 + per_col.len() as f32 * (BOX_W + COL_GAP) - COL_GAP;
    // Arrows that go back run in lanes under the last row, one lane each.
    let backs = wf
        .actions
        .iter()
        .flat_map(|a| a.from.iter().map(move |f| (*f, a.to)))
        .filter(|(f, t)| col[*t] < col[*f])
        .count();
    let lanes_top = MARGIN + rows * (BOX_H + ROW_GAP) - ROW_GAP + 18.0;
    let height = lanes_top + backs as f32 * 14.0 + MARGIN;
    let title = if en { &wf.name_en } else { &wf.name };

    let mut out = String::new();
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="workflow-diagram" role="img" aria-labelledby="wf-title-{key}" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" font-family="sans-serif"><title id="wf-title-{key}">{title}</title><defs><marker id="arrow-{key}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>"##,
        key = escape(&wf.key),
        title = escape(title),
    );
    let (mut lane, mut side) = (0usize, 0usize);
    for a in &wf.actions {
        for from in &a.from {
            let ((x1, y1), (x2, y2)) = (pos(*from), pos(a.to));
            let (cy1, cy2) = (y1 + BOX_H / 2.0, y2 + BOX_H / 2.0);
            let label = escape(if en { &a.label_en } else { &a.label });
            let (path, lx, ly, anchor) = if col[a.to] > col[*from] {
                let (sx, ex) = (x1 + BOX_W, x2);
                let mid = (sx + ex) / 2.0;
                (
                    format!("M{sx:.1},{cy1:.1} C{mid:.1},{cy1:.1} {mid:.1},{cy2:.1} {ex:.1},{cy2:.1}"),
                    mid,
                    (cy1 + cy2) / 2.0 - 4.0,
                    "middle",
                )
            } else if col[a.to] < col[*from] {
                // Back: out of the left side into the gap, down to a lane of its own under
                // every row, along it, and up the gap right of the target into its right side.
                let y = lanes_top + lane as f32 * 14.0;
                let gx1 = x1 - 14.0 - (lane % 4) as f32 * 6.0;
                let gx2 = x2 + BOX_W + 14.0 + (lane % 4) as f32 * 6.0;
                lane += 1;
                (
                    format!(
                        "M{x1:.1},{cy1:.1} L{gx1:.1},{cy1:.1} L{gx1:.1},{y:.1} L{gx2:.1},{y:.1} L{gx2:.1},{cy2:.1} L{:.1},{cy2:.1}",
                        x2 + BOX_W
                    ),
                    (gx1 + gx2) / 2.0,
                    y - 3.0,
                    "middle",
                )
            } else {
                // Within a column: down (or up) the gap on the right.
                let gx = x1 + BOX_W + 16.0 + (side % 3) as f32 * 8.0;
                side += 1;
                (
                    format!(
                        "M{:.1},{cy1:.1} L{gx:.1},{cy1:.1} L{gx:.1},{cy2:.1} L{:.1},{cy2:.1}",
                        x1 + BOX_W,
                        x1 + BOX_W
                    ),
                    gx + 4.0,
                    (cy1 + cy2) / 2.0,
                    "start",
                )
            };
            let _ = write!(
                out,
                r##"<g class="wf-action"><path d="{path}" fill="none" stroke="#333" stroke-width="1.3" marker-end="url(#arrow-{key})"/><text x="{lx:.1}" y="{ly:.1}" font-size="10" text-anchor="{anchor}" fill="#1a1a1a" paint-order="stroke" stroke="#fff" stroke-width="3">{label}</text></g>"##,
                key = escape(&wf.key),
            );
        }
    }
    for (i, s) in wf.states.iter().enumerate() {
        let (x, y) = pos(i);
        let terminal = s.outcome.is_some();
        let label = if en { &s.label_en } else { &s.label };
        let _ = write!(
            out,
            r##"<g class="wf-state" data-state="{key}"><rect x="{x:.1}" y="{y:.1}" width="{BOX_W}" height="{BOX_H}" rx="{rx}" fill="{fill}" stroke="#333" stroke-width="{sw}"/>"##,
            key = escape(&s.key),
            rx = if terminal { 26 } else { 6 },
            fill = fill(s.role, terminal),
            sw = if i == wf.initial || terminal { 2.5 } else { 1.2 },
        );
        let text = lines(label);
        let top = y + BOX_H / 2.0 - (text.len() as f32 - 1.0) * 7.0 + 4.0;
        for (k, line) in text.iter().enumerate() {
            let _ = write!(
                out,
                r##"<text x="{cx:.1}" y="{ty:.1}" font-size="12" text-anchor="middle" fill="#111">{line}</text>"##,
                cx = x + BOX_W / 2.0,
                ty = top + k as f32 * 14.0,
                line = escape(line),
            );
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::load::load_dir;

    #[test]
    fn every_state_is_a_box_and_every_action_an_arrow() {
        let all = load_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("workflows")).unwrap();
        for wf in all.values() {
            let svg = svg(wf, false);
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
            assert_eq!(svg.matches("class=\"wf-state\"").count(), wf.states.len(), "{}", wf.key);
            let arrows: usize = wf.actions.iter().map(|a| a.from.len()).sum();
            assert_eq!(svg.matches("class=\"wf-action\"").count(), arrows, "{}", wf.key);
            for s in &wf.states {
                let words = s.label.split_whitespace().next().unwrap();
                assert!(svg.contains(words), "{} lacks {}", wf.key, s.label);
            }
            assert!(svg.contains(&format!("data-state=\"{}\"", wf.states[wf.initial].key)));
            if let Ok(dir) = std::env::var("MOTCUA_SVG_SAMPLE_DIR") {
                std::fs::write(std::path::Path::new(&dir).join(format!("{}.svg", wf.key)), &svg).unwrap();
            }
        }
    }

    #[test]
    fn labels_wrap_in_two_lines_at_most() {
        assert_eq!(lines("Tiếp nhận hồ sơ"), ["Tiếp nhận hồ sơ"]);
        assert_eq!(lines("Chờ bổ sung trong quá trình giải quyết").len(), 2);
        assert_eq!(escape("a<b&\"c\""), "a&lt;b&amp;&quot;c&quot;");
    }
}
