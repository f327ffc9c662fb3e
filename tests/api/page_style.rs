//! The stylesheet as a person with low vision meets it: the focus ring is
//! seen against every background the portal paints (WCAG 2.2 1.4.11: 3:1
//! for what shows state).

/// The `--name` colour of the stylesheet's `:root`.
fn var(css: &str, name: &str) -> String {
    let at = css.find(&format!("--{name}:")).unwrap_or_else(|| panic!("--{name}"));
    css[at..].split(':').nth(1).unwrap().split(';').next().unwrap().trim().to_owned()
}

fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[1 + 2 * i..3 + 2 * i], 16).unwrap()) / 255.0;
        if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[test]
fn the_focus_ring_stands_out_on_every_background_of_the_portal() {
    let css = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/static/css/site.css")).unwrap();
    let rule = css.lines().find(|l| l.starts_with(":focus-visible")).expect("the focus rule");
    let outline = rule.split("outline: 3px solid ").nth(1).unwrap().split(';').next().unwrap().trim().to_owned();
    assert!(rule.contains("box-shadow: 0 0 0 6px var(--focus)"), "the yellow ring around it: {rule}");
    let focus = var(&css, "focus");
    for background in ["bg", "soft", "brand", "brand-dark", "warn-bg", "err-bg"] {
        let bg = var(&css, background);
        let best = contrast(&outline, &bg).max(contrast(&focus, &bg));
        assert!(best >= 3.0, "focus on --{background} ({bg}): {best:.2}:1");
    }
    assert!(contrast(&outline, &var(&css, "bg")) >= 3.0 && contrast(&outline, &var(&css, "soft")) >= 3.0);
}

#[test]
fn on_a_phone_tables_stack_and_stand_alone_links_are_big_enough_to_tap() {
    let css = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/static/css/site.css")).unwrap();
    let phone: Vec<&str> = css.split("@media (max-width: 40rem)").skip(1).collect();
    assert!(phone.iter().any(|m| m.contains("table.stack td::before { content: attr(data-label)")));
    // 0.3 rem above and below a 1.5-line text of 16 px: 33.6 px, over the 24 px minimum.
    assert!(phone.iter().any(|m| m.contains("p > a:only-child") && m.contains("padding: .3rem 0")));
    for page in ["templates/dossier/mine.html", "templates/dossier/show.html"] {
        let html = std::fs::read_to_string(format!("{}/{page}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let stacked = html.split("class=\"stack\"").nth(1).expect("a stacked table");
        let body = stacked.split("<tbody>").nth(1).unwrap().split("</tbody>").next().unwrap();
        assert_eq!(body.matches("<td").count(), body.matches("<td data-label=").count(), "{page}: every cell named");
    }
}
