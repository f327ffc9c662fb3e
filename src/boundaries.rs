//! The layering, checked: the domain does not lean on the web layer, and the
//! pure core (`workflow/`, `sla/`) does not lean on the domain or the
//! database. A `use` that breaks it fails this test, with the file and line.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Lines of the files under `parts` of src/ that mention one of `forbidden`.
fn offences(parts: &[&str], forbidden: &[&str]) -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for part in parts {
        let path = src.join(part);
        if path.is_dir() { rust_files(&path, &mut files) } else { files.push(path) }
    }
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if let Some(word) = forbidden.iter().find(|w| code.contains(*w)) {
                found.push(format!("{}:{}: {word}", file.display(), n + 1));
            }
        }
    }
    found
}

#[test]
fn the_domain_does_not_lean_on_the_web() {
    let domain = [
        "dossier",
        "payment",
        "catalogue",
        "documents",
        "forms",
        "workflow",
        "sla",
        "values",
        "context.rs",
        "deadlines.rs",
        "outbox",
        "national_sync",
        "workflow_registry.rs",
        "work_calendar.rs",
        "error.rs",
    ];
    let found = offences(&domain, &["actix_web", "tera::", "crate::web", "crate::app", "AppState"]);
    assert!(found.is_empty(), "the domain imports the web layer:\n{}", found.join("\n"));
}

#[test]
fn the_pure_core_takes_values_not_the_domain() {
    let found = offences(
        &["workflow", "sla"],
        &["crate::catalogue", "crate::dossier", "crate::payment", "sea_orm", "entity::", "crate::db"],
    );
    assert!(found.is_empty(), "the pure core reaches into the domain:\n{}", found.join("\n"));
}
