//! A workflow drawn as an SVG for the admin page, top to bottom so that it
//! fits the page's width: states in rows by their distance from the first
//! state, actions as arrows labelled with their names, each label where it
//! overlaps no other label and no state. Arrows back to an earlier row run
//! through the gaps between rows and a lane of their own on the right. The
//! page also lists states and actions as tables, which are the text
//! alternative for readers who cannot see the drawing.

use std::fmt::Write;

use super::model::{WfRole, Workflow};

const BOX_W: f32 = 176.0;
const BOX_H: f32 = 56.0;
/// Between the states of a row.
const H_GAP: f32 = 40.0;
/// Between rows: room for the arrows' labels.
const V_GAP: f32 = 124.0;
const MARGIN: f32 = 24.0;
/// Between the lanes of arrows going back.
const LANE: f32 = 14.0;
/// Characters per line of a state's label inside its box.
const LINE_CHARS: usize = 24;
/// An arrow's label: 10 px sans-serif, about this wide per character.
const CHAR_W: f32 = 5.7;
const LABEL_H: f32 = 15.0;

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

#[derive(Debug, Clone, Copy, PartialEq)]
struct Rect {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
}

impl Rect {
    fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }

    /// The box of a label of `chars` characters centred on `x`, baseline `y`.
    fn label(x: f32, y: f32, chars: usize) -> Rect {
        let w = chars as f32 * CHAR_W + 4.0;
        Rect { x: x - w / 2.0, y: y - LABEL_H + 3.0, w, h: LABEL_H }
    }
}

/// The drawing, with where its states and labels are (which the tests check).
#[cfg_attr(not(test), allow(dead_code))]
struct Drawing {
    svg: String,
    boxes: Vec<Rect>,
    labels: Vec<Rect>,
    width: f32,
}

/// One arrow: its path and the places its label may go, best first.
struct Arrow {
    path: String,
    spots: Vec<(f32, f32)>,
}

fn cubic(p: [(f32, f32); 4], t: f32) -> (f32, f32) {
    let u = 1.0 - t;
    let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
    (a * p[0].0 + b * p[1].0 + c * p[2].0 + d * p[3].0, a * p[0].1 + b * p[1].1 + c * p[2].1 + d * p[3].1)
}

/// Places along a horizontal run from `x1` to `x2` at height `y`, nearest the middle first.
fn along(x1: f32, x2: f32, y: f32) -> Vec<(f32, f32)> {
    [0.5, 0.3, 0.7, 0.15, 0.85].iter().map(|f| (x1 + (x2 - x1) * f, y - 3.0)).collect()
}

/// The SVG of `wf`, labels in English when `en`.
pub fn svg(wf: &Workflow, en: bool) -> String {
    draw(wf, en).svg
}

fn draw(wf: &Workflow, en: bool) -> Drawing {
    let row = wf.distances();
    let n_rows = row.iter().max().map_or(1, |m| m + 1);
    let mut in_row = vec![0usize; n_rows];
    let mut place = vec![0usize; wf.states.len()];
    for (i, r) in row.iter().enumerate() {
        place[i] = in_row[*r];
        in_row[*r] += 1;
    }
    let widest = in_row.iter().copied().max().unwrap_or(1) as f32;
    let row_w = |n: f32| n * (BOX_W + H_GAP) - H_GAP;
    let boxes: Vec<Rect> = (0..wf.states.len())
        .map(|i| Rect {
            x: MARGIN + (row_w(widest) - row_w(in_row[row[i]] as f32)) / 2.0 + place[i] as f32 * (BOX_W + H_GAP),
            y: MARGIN + row[i] as f32 * (BOX_H + V_GAP),
            w: BOX_W,
            h: BOX_H,
        })
        .collect();
    let edges: Vec<(usize, usize, usize)> =
        wf.actions.iter().enumerate().flat_map(|(k, a)| a.from.iter().map(move |f| (k, *f, a.to))).collect();
    let backs = edges.iter().filter(|(_, f, t)| row[*t] < row[*f]).count();
    let lanes_x = MARGIN + row_w(widest) + 24.0;
    let width = lanes_x + backs as f32 * LANE + MARGIN;
    let height = MARGIN * 2.0 + n_rows as f32 * (BOX_H + V_GAP) - V_GAP + V_GAP / 2.0;

    // Each box's arrows out of its bottom and into its top, spread along the side.
    let mut bottom: Vec<Vec<usize>> = vec![Vec::new(); wf.states.len()];
    let mut top: Vec<Vec<usize>> = vec![Vec::new(); wf.states.len()];
    for (e, (_, f, t)) in edges.iter().enumerate() {
        if row[*t] > row[*f] {
            bottom[*f].push(e);
            top[*t].push(e);
        }
    }
    let mut out_at = vec![0.5f32; edges.len()];
    let mut in_at = vec![0.5f32; edges.len()];
    for s in 0..wf.states.len() {
        bottom[s].sort_by(|a, b| boxes[edges[*a].2].x.total_cmp(&boxes[edges[*b].2].x));
        top[s].sort_by(|a, b| boxes[edges[*a].1].x.total_cmp(&boxes[edges[*b].1].x));
        for (k, e) in bottom[s].iter().enumerate() {
            out_at[*e] = 0.15 + 0.55 * (k + 1) as f32 / (bottom[s].len() + 1) as f32;
        }
        for (k, e) in top[s].iter().enumerate() {
            in_at[*e] = 0.15 + 0.55 * (k + 1) as f32 / (top[s].len() + 1) as f32;
        }
    }
    let (mut lane, mut side) = (0usize, 0usize);
    let arrows: Vec<Arrow> = edges
        .iter()
        .enumerate()
        .map(|(e, (_, f, t))| {
            let (a, b) = (boxes[*f], boxes[*t]);
            if row[*t] > row[*f] {
                let p = [
                    (a.x + a.w * out_at[e], a.y + BOX_H),
                    (a.x + a.w * out_at[e], a.y + BOX_H + V_GAP / 2.0),
                    (b.x + b.w * in_at[e], b.y - V_GAP / 2.0),
                    (b.x + b.w * in_at[e], b.y),
                ];
                let path = format!(
                    "M{:.1},{:.1} C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
                    p[0].0, p[0].1, p[1].0, p[1].1, p[2].0, p[2].1, p[3].0, p[3].1
                );
                let spots = [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78].iter().map(|t| cubic(p, *t)).collect();
                Arrow { path, spots }
            } else if row[*t] < row[*f] {
                // Back: up out of the top's right end into the gap above, right to a lane of
                // its own, up to the gap under the target, left, and up into its bottom's right end.
                let offset = ((lane % 4) as f32 - 1.5) * 9.0;
                let (sx, tx) = (a.x + a.w * 0.9, b.x + b.w * 0.9);
                let ya = a.y - V_GAP / 2.0 + offset;
                let lx = lanes_x + lane as f32 * LANE;
                lane += 1;
                if row[*f] == row[*t] + 1 {
                    let path = format!("M{sx:.1},{:.1} L{sx:.1},{ya:.1} L{tx:.1},{ya:.1} L{tx:.1},{:.1}", a.y, b.y + BOX_H);
                    Arrow { path, spots: along(sx, tx, ya) }
                } else {
                    let yb = b.y + BOX_H + V_GAP / 2.0 + offset;
                    let path = format!(
                        "M{sx:.1},{:.1} L{sx:.1},{ya:.1} L{lx:.1},{ya:.1} L{lx:.1},{yb:.1} L{tx:.1},{yb:.1} L{tx:.1},{:.1}",
                        a.y,
                        b.y + BOX_H
                    );
                    Arrow { path, spots: along(sx, lx, ya) }
                }
            } else {
                // Within a row: down into the gap under it, across, and up.
                let y = a.y + BOX_H + V_GAP * 0.2 + (side % 3) as f32 * 9.0;
                side += 1;
                let (sx, tx) = (a.x + a.w * 0.1, b.x + b.w * 0.1);
                let path = format!("M{sx:.1},{:.1} L{sx:.1},{y:.1} L{tx:.1},{y:.1} L{tx:.1},{:.1}", a.y + BOX_H, b.y + BOX_H);
                Arrow { path, spots: along(sx, tx, y + LABEL_H) }
            }
        })
        .collect();

    // Each label at the first of its places that overlaps nothing drawn so far, else nudged down.
    let mut labels: Vec<Rect> = Vec::new();
    let mut at: Vec<(f32, f32)> = Vec::new();
    for ((k, _, _), arrow) in edges.iter().zip(&arrows) {
        let a = &wf.actions[*k];
        let chars = if en { &a.label_en } else { &a.label }.chars().count();
        let free = |(x, y): (f32, f32)| {
            let r = Rect::label(x, y, chars);
            r.x >= 0.0
                && r.x + r.w <= width
                && !boxes.iter().any(|b| r.overlaps(b))
                && !labels.iter().any(|l| r.overlaps(l))
        };
        let nudged = (1..6).flat_map(|k| arrow.spots.iter().map(move |(x, y)| (*x, y + k as f32 * LABEL_H)));
        let spot = arrow.spots.iter().copied().chain(nudged).find(|s| free(*s)).unwrap_or(arrow.spots[0]);
        labels.push(Rect::label(spot.0, spot.1, chars));
        at.push(spot);
    }

    let title = if en { &wf.name_en } else { &wf.name };
    let key = escape(&wf.key);
    let mut out = String::new();
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="workflow-diagram" role="img" aria-labelledby="wf-title-{key}" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" font-family="sans-serif"><title id="wf-title-{key}">{title}</title><defs><marker id="arrow-{key}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>"##,
        title = escape(title),
    );
    for arrow in &arrows {
        let _ = write!(
            out,
            r##"<path class="wf-arrow" d="{}" fill="none" stroke="#333" stroke-width="1.3" marker-end="url(#arrow-{key})"/>"##,
            arrow.path
        );
    }
    // Labels over every line, each on a white halo.
    for ((k, _, _), (x, y)) in edges.iter().zip(&at) {
        let a = &wf.actions[*k];
        let _ = write!(
            out,
            r##"<g class="wf-action"><text x="{x:.1}" y="{y:.1}" font-size="10" text-anchor="middle" fill="#1a1a1a" paint-order="stroke" stroke="#fff" stroke-width="3">{}</text></g>"##,
            escape(if en { &a.label_en } else { &a.label }),
        );
    }
    for (i, s) in wf.states.iter().enumerate() {
        let Rect { x, y, .. } = boxes[i];
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
    Drawing { svg: out, boxes, labels, width }
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
    fn every_shipped_workflow_fits_the_admin_page_and_no_label_covers_another_or_a_state() {
        let all = load_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("workflows")).unwrap();
        for wf in all.values() {
            for en in [false, true] {
                let d = draw(wf, en);
                // The page's content is 72rem wide (1,152 px) less its padding.
                assert!(d.width <= 1100.0, "{} is {} px wide", wf.key, d.width);
                for (i, l) in d.labels.iter().enumerate() {
                    assert!(!d.boxes.iter().any(|b| l.overlaps(b)), "{}: label {i} covers a state", wf.key);
                    assert!(!d.labels[..i].iter().any(|o| l.overlaps(o)), "{}: label {i} covers another", wf.key);
                    assert!(l.x >= 0.0 && l.x + l.w <= d.width, "{}: label {i} leaves the drawing", wf.key);
                }
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
