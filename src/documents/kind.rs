//! The kinds of file a dossier accepts, recognised by their bytes. A file
//! named `.pdf` that is really a Windows program is refused, whatever its name.

use crate::string_enum;

string_enum! {
    pub enum DocumentKind {
        Pdf = "pdf",
        Jpeg = "jpeg",
        Png = "png",
        /// Word documents (Office Open XML), a ZIP holding `word/document.xml`.
        Docx = "docx",
    }
}

/// How a ZIP file begins.
const ZIP: &[u8] = b"PK\x03\x04";

impl DocumentKind {
    pub fn content_type(self) -> &'static str {
        match self {
            DocumentKind::Pdf => "application/pdf",
            DocumentKind::Jpeg => "image/jpeg",
            DocumentKind::Png => "image/png",
            DocumentKind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            DocumentKind::Pdf => "pdf",
            DocumentKind::Jpeg => "jpg",
            DocumentKind::Png => "png",
            DocumentKind::Docx => "docx",
        }
    }

    /// Whether `head` leaves the kind to the file's last bytes (a ZIP's directory).
    pub fn needs_tail(head: &[u8]) -> bool {
        head.starts_with(ZIP)
    }

    /// What `head` (the first bytes) and `tail` (the last bytes, where a ZIP
    /// keeps its directory) say the file is; `None` for anything else.
    pub fn detect(head: &[u8], tail: &[u8]) -> Option<DocumentKind> {
        if head.starts_with(b"%PDF-") {
            Some(DocumentKind::Pdf)
        } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(DocumentKind::Jpeg)
        } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(DocumentKind::Png)
        } else if head.starts_with(ZIP) && contains(tail, b"word/document.xml") {
            Some(DocumentKind::Docx)
        } else {
            None
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::DocumentKind::{self, *};

    fn detect(bytes: &[u8]) -> Option<DocumentKind> {
        DocumentKind::detect(bytes, bytes)
    }

    #[test]
    fn real_files_are_recognised_by_their_bytes() {
        assert_eq!(detect(b"%PDF-1.7\n..."), Some(Pdf));
        assert_eq!(detect(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), Some(Jpeg));
        assert_eq!(detect(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]), Some(Png));
        assert_eq!(detect(b"PK\x03\x04....[Content_Types].xml....word/document.xml...PK\x05\x06"), Some(Docx));
    }

    #[test]
    fn programs_and_lookalikes_are_refused() {
        assert_eq!(detect(b"MZ\x90\x00 this program cannot be run in DOS mode"), None, "a .exe renamed .pdf");
        assert_eq!(detect(b"\x7fELF\x02\x01\x01"), None);
        assert_eq!(detect(b"<html><script>alert(1)</script>"), None);
        assert_eq!(detect(b"PK\x03\x04 an ordinary zip xl/workbook.xml"), None, "a zip that is not a Word file");
        assert_eq!(detect(b" %PDF-1.7"), None, "the signature must come first");
        assert_eq!(detect(b""), None);
    }
}
