//! CSV answers (RFC 4180) that a spreadsheet opens as they are: UTF-8 with a
//! byte-order mark so that Excel reads the diacritics, CRLF line ends, and a
//! cell that would start a formula (`=`, `+`, `-`, `@`) prefixed with `'`
//! unless it is a number.

use actix_web::HttpResponse;

#[derive(Debug, Default)]
pub struct Table {
    text: String,
}

fn cell(value: &str) -> String {
    let formula = value.starts_with(['=', '+', '-', '@', '\t', '\r']) && value.parse::<f64>().is_err();
    let value = if formula { format!("'{value}") } else { value.to_owned() };
    if value.contains([',', '"', '\n', '\r']) { format!("\"{}\"", value.replace('"', "\"\"")) } else { value }
}

impl Table {
    pub fn header<I: IntoIterator<Item = String>>(&mut self, names: I) {
        self.row(names);
    }

    pub fn row<I: IntoIterator<Item = String>>(&mut self, cells: I) {
        let line: Vec<String> = cells.into_iter().map(|c| cell(&c)).collect();
        self.text.push_str(&line.join(","));
        self.text.push_str("\r\n");
    }

    pub fn into_text(self) -> String {
        self.text
    }

    pub fn response(self, file_name: &str) -> HttpResponse {
        HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header(("Content-Disposition", format!("attachment; filename=\"{file_name}\"")))
            .body(format!("\u{feff}{}", self.text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        let mut t = Table::default();
        t.row(["Sở \"A\", Hà Nội".to_owned(), "=1+1".to_owned(), "-5".to_owned(), "dòng\nhai".to_owned()]);
        assert_eq!(t.into_text(), "\"Sở \"\"A\"\", Hà Nội\",'=1+1,-5,\"dòng\nhai\"\r\n");
    }
}
