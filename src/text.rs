//! Vietnamese text: stored in NFC, folded for search.
//!
//! Folding lower-cases, strips the tone and vowel marks (after NFD) and maps
//! đ/Đ to d — NFD leaves đ alone because it is a letter of its own, not d with a
//! mark — so "Giấy Phép", "giấy phép" and "giay phep" all fold to "giay phep".

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The canonical stored form of user text: NFC, trimmed.
pub fn nfc(s: &str) -> String {
    s.trim().nfc().collect()
}

/// Whether `s` holds a character no field may hold: NUL (PostgreSQL text
/// cannot store it), or another control character than tab and line breaks.
pub fn has_forbidden_control(s: &str) -> bool {
    s.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// Whether `s` is fit for a one-line field: no control characters at all
/// but tab.
pub fn is_one_line(s: &str) -> bool {
    !s.chars().any(|c| c.is_control() && c != '\t')
}

/// The search form of a text: lower case ASCII letters, digits and dots,
/// words separated by single spaces.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            c => c.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() || c == '.' {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        } else {
            pending_space = true;
        }
    }
    out
}

/// The words of a search query, folded; at most `max` of them.
pub fn search_terms(query: &str, max: usize) -> Vec<String> {
    fold(query).split(' ').filter(|w| !w.is_empty() && *w != ".").take(max).map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_and_control_characters_are_found_but_tabs_and_line_breaks_are_text() {
        for bad in ["a\0b", "\u{1}", "x\u{7f}", "x\u{85}y", "\u{1b}[31m"] {
            assert!(has_forbidden_control(bad), "{bad:?}");
        }
        for good in ["Giấy phép", "dòng 1\r\ndòng 2", "cột\tcột", ""] {
            assert!(!has_forbidden_control(good), "{good:?}");
        }
        assert!(is_one_line("Nguyễn Văn An\t") && !is_one_line("a\nb") && !is_one_line("a\0"));
    }

    #[test]
    fn folding_removes_marks_and_case() {
        assert_eq!(fold("Giấy Phép"), "giay phep");
        assert_eq!(fold("giấy phép"), "giay phep");
        assert_eq!(fold("GIẤY PHÉP"), "giay phep");
    }

    #[test]
    fn folding_maps_d_with_stroke() {
        assert_eq!(fold("Đăng ký đài"), "dang ky dai");
    }

    #[test]
    fn folding_keeps_procedure_codes_and_drops_punctuation() {
        assert_eq!(fold("  Thủ tục 1.004227: cấp   (mới)  "), "thu tuc 1.004227 cap moi");
    }

    #[test]
    fn decomposed_input_folds_like_composed_input() {
        let decomposed: String = "Bưu chính".nfd().collect();
        assert_eq!(fold(&decomposed), fold("Bưu chính"));
        assert_eq!(nfc(&decomposed), "Bưu chính");
    }

    #[test]
    fn search_terms_are_bounded() {
        assert_eq!(search_terms("giấy  phép bưu chính", 3), vec!["giay", "phep", "buu"]);
        assert!(search_terms(" %_ ", 5).is_empty());
    }
}
