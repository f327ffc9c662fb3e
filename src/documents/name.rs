//! File names as applicants give them, made safe to show and to send in a
//! download header: no paths, no control characters, bounded length, NFC.

/// The name to keep for a file the applicant called `given`, with the
/// extension its content deserves.
pub fn sanitize(given: &str, extension: &str) -> String {
    let base = given.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = match base.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => base,
    };
    let cleaned: String = crate::text::nfc(stem)
        .chars()
        .map(|c| if c.is_control() || matches!(c, '"' | '<' | '>' | ':' | '*' | '?' | '|') { '_' } else { c })
        .collect();
    let cleaned = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    let stem: String = if cleaned.is_empty() { "tai-lieu".into() } else { cleaned.chars().take(120).collect() };
    format!("{stem}.{extension}")
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn paths_and_dangerous_characters_go() {
        assert_eq!(sanitize("C:\\Users\\An\\Tờ khai.PDF", "pdf"), "Tờ khai.pdf");
        assert_eq!(sanitize("../../etc/passwd", "pdf"), "passwd.pdf");
        assert_eq!(sanitize("a\u{0}b\"<c>.exe", "pdf"), "a_b__c_.pdf", "the content decides the extension");
        assert_eq!(sanitize("...", "png"), "tai-lieu.png");
        assert_eq!(sanitize("", "jpg"), "tai-lieu.jpg");
    }

    #[test]
    fn long_names_are_cut() {
        let long = "đ".repeat(300);
        assert_eq!(sanitize(&long, "pdf").chars().count(), 124);
    }
}
