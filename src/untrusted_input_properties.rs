//! Property tests ("fuzzing" on the stable toolchain) of what parses input
//! from outside: the workflow YAML checker, the e-form validator, the VNPay
//! query signature, the multipart reader's limits and Vietnamese folding.
//! None may panic on any input; signing then verifying holds; folding is
//! idempotent. `PROPTEST_CASES` sets the number of cases (256 by default, as
//! CI runs them; README says how to run a longer session).

use std::collections::BTreeMap;

use proptest::prelude::*;

use crate::payment::vnpay;

/// Text that looks like what arrives: Vietnamese letters, digits, markup of
/// the formats involved, control characters and anything else.
fn text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        any::<String>(),
        Just("ệ".to_owned()),
        Just("Đ".to_owned()),
        Just("\u{0301}".to_owned()),
        Just(": ".to_owned()),
        Just("\n  - ".to_owned()),
        Just("vnp_".to_owned()),
        Just("&=%".to_owned()),
        Just("\0".to_owned()),
        "[0-9]{1,4}".prop_map(|s| s),
    ];
    proptest::collection::vec(pieces, 0..12).prop_map(|v| v.concat())
}

fn workflow_like() -> impl Strategy<Value = String> {
    let lines = prop_oneof![
        Just("key: thu-nghiem".to_owned()),
        Just("name: Thử nghiệm".to_owned()),
        Just("states:".to_owned()),
        Just("  - id: tiep_nhan".to_owned()),
        Just("    terminal: true".to_owned()),
        Just("actions:".to_owned()),
        Just("  - id: duyet\n    from: [tiep_nhan]\n    to: xong\n    role: leader".to_owned()),
        Just("    budget: {days: 1.5}".to_owned()),
        Just("key: thu-nghiem".to_owned()),
        text(),
    ];
    proptest::collection::vec(lines, 0..16).prop_map(|v| v.join("\n"))
}

fn eform_schema() -> crate::catalogue::eform::Schema {
    let schema = serde_json::json!({"fields": [
        {"name": "ho_ten", "label": "Họ và tên", "type": "text", "required": true, "max_length": 50},
        {"name": "ghi_chu", "label": "Ghi chú", "type": "textarea"},
        {"name": "so_dinh_danh", "label": "Số định danh", "type": "citizen_id"},
        {"name": "ngay", "label": "Ngày", "type": "date"},
        {"name": "so", "label": "Số", "type": "number"},
        {"name": "loai", "label": "Loại", "type": "select", "options": [{"value": "moi", "label": "Mới"}]},
        {"name": "mst", "label": "MST", "type": "tax_code"},
        {"name": "dt", "label": "Điện thoại", "type": "phone"},
        {"name": "email", "label": "Email", "type": "email"},
        {"name": "ok", "label": "Cam đoan", "type": "checkbox"},
        {"name": "nhom", "label": "Nhóm", "type": "group", "repeatable": true,
         "fields": [{"name": "ten", "label": "Tên", "type": "text"}]}
    ]});
    crate::catalogue::eform::Schema::parse(&schema, "eform").expect("the test schema is valid")
}

fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("ho_ten".to_owned()),
        Just("ghi_chu".to_owned()),
        Just("so_dinh_danh".to_owned()),
        Just("ngay".to_owned()),
        Just("so".to_owned()),
        Just("loai".to_owned()),
        Just("mst".to_owned()),
        Just("dt".to_owned()),
        Just("email".to_owned()),
        Just("ok".to_owned()),
        "nhom\\.[0-9]{1,3}\\.ten".prop_map(|s| s),
        any::<String>(),
    ]
}

proptest! {
    #[test]
    fn the_workflow_checker_never_panics(source in workflow_like()) {
        let _ = crate::workflow::check::check("thu-nghiem.yaml", &source);
    }

    #[test]
    fn the_eform_validator_never_panics_and_what_it_accepts_holds_no_control_character(
        input in proptest::collection::btree_map(field_name(), text(), 0..14)
    ) {
        if let Ok(data) = crate::dossier::form_data::check(&eform_schema(), &input) {
            let stored = data.to_string();
            prop_assert!(!stored.contains("\\u0000"), "{stored}");
        }
    }

    #[test]
    fn a_vnpay_query_signed_then_verified_holds_and_any_change_breaks_it(
        params in proptest::collection::btree_map("vnp_[A-Za-z]{1,12}", text(), 1..12),
        secret in "[ -~]{16,40}",
        tamper in any::<String>(),
    ) {
        let params: vnpay::Params = params;
        let query = vnpay::signed_query(&params, &secret);
        let back: BTreeMap<String, String> = serde_urlencoded::from_str(&query).expect("our own query parses");
        prop_assert!(vnpay::verify(&back, &secret), "{query}");
        let mut changed = back.clone();
        let signed = changed.iter().find(|(k, v)| k.as_str() != "vnp_SecureHash" && !v.is_empty());
        let Some((key, value)) = signed.map(|(k, v)| (k.clone(), v.clone())) else { return Ok(()) };
        if tamper != value && !tamper.is_empty() {
            changed.insert(key, tamper);
            prop_assert!(!vnpay::verify(&changed, &secret));
        }
    }

    #[test]
    fn any_query_from_a_gateway_parses_and_verifies_without_panicking(raw in text()) {
        let params: BTreeMap<String, String> = serde_urlencoded::from_str(&raw).unwrap_or_default();
        let _ = vnpay::verify(&params, "mot-bi-mat-du-dai-16");
        let _ = vnpay::parse_amount(&raw);
        let _ = vnpay::parse_time(&raw);
        let _ = vnpay::plain(&raw);
    }

    #[test]
    fn folding_is_idempotent_and_leaves_only_ascii(s in text()) {
        let once = crate::text::fold(&s);
        prop_assert_eq!(crate::text::fold(&once), once.clone());
        prop_assert!(once.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == ' '));
        prop_assert_eq!(crate::text::fold(&crate::text::nfc(&s)), crate::text::fold(s.trim()));
    }
}

mod multipart {
    use super::*;
    use crate::web::multipart_form::{Limits, read};

    #[derive(Debug, Clone)]
    struct Part {
        name: String,
        file_name: Option<String>,
        body: Vec<u8>,
    }

    fn part() -> impl Strategy<Value = Part> {
        let body = prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..1500),
            proptest::collection::vec(any::<u8>(), 0..1500).prop_map(|mut b| {
                let mut pdf = b"%PDF-1.7\n".to_vec();
                pdf.append(&mut b);
                pdf.extend_from_slice(b"\n%%EOF");
                pdf
            }),
        ];
        ("[a-z._0-9]{1,12}", proptest::option::of("[a-zA-Z0-9 ._-]{1,20}"), body)
            .prop_map(|(name, file_name, body)| Part { name, file_name, body })
    }

    fn encode(parts: &[Part], boundary: &str) -> Vec<u8> {
        let mut out = Vec::new();
        for p in parts {
            out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let disposition = match &p.file_name {
                Some(f) => format!("Content-Disposition: form-data; name=\"{}\"; filename=\"{f}\"\r\n", p.name),
                None => format!("Content-Disposition: form-data; name=\"{}\"\r\n", p.name),
            };
            out.extend_from_slice(disposition.as_bytes());
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(&p.body);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        out
    }

    fn run(body: Vec<u8>, chunk: usize, dir: &std::path::Path, limits: &Limits) -> Result<(usize, Vec<u64>), String> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let mut headers = actix_web::http::header::HeaderMap::new();
            headers.insert(
                actix_web::http::header::CONTENT_TYPE,
                actix_web::http::header::HeaderValue::from_static("multipart/form-data; boundary=ranh-gioi"),
            );
            let chunks: Vec<Result<actix_web::web::Bytes, actix_web::error::PayloadError>> =
                body.chunks(chunk.max(1)).map(|c| Ok(actix_web::web::Bytes::copy_from_slice(c))).collect();
            let payload = actix_multipart::Multipart::new(&headers, futures_util::stream::iter(chunks));
            match read(payload, dir, limits).await {
                Ok(form) => Ok((form.fields.len(), form.files.iter().map(|f| f.received.size).collect())),
                Err(e) => Err(e.to_string()),
            }
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: ProptestConfig::default().cases / 4 + 1, ..ProptestConfig::default() })]

        #[test]
        fn the_multipart_reader_keeps_its_limits_and_leaves_no_temporary_file(
            parts in proptest::collection::vec(part(), 0..6),
            chunk in 1usize..700,
            garbage in proptest::collection::vec(any::<u8>(), 0..300),
            broken in any::<bool>(),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let limits = Limits { file_bytes: 1000, files: 2, total_bytes: 1500 };
            let mut body = encode(&parts, "ranh-gioi");
            if broken {
                let at = garbage.len().min(body.len());
                body.splice(at / 2..at / 2, garbage.iter().copied());
            }
            if let Ok((_, files)) = run(body, chunk, dir.path(), &limits) {
                prop_assert!(files.len() <= limits.files);
                prop_assert!(files.iter().all(|size| *size <= limits.file_bytes));
                prop_assert!(files.iter().sum::<u64>() <= limits.total_bytes);
            }
            let left = std::fs::read_dir(dir.path()).map_or(0, |d| d.count());
            prop_assert_eq!(left, 0, "no temporary file outlives the request");
        }
    }
}
