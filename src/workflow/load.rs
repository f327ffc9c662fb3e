//! Reading every workflow of a folder. Start-up and `motcua workflow check`
//! use the same report: all problems of all files, or the workflows.

use std::collections::BTreeMap;
use std::path::Path;

use super::check::{Problem, ProblemKind, check};
use super::model::Workflow;

/// The workflows of `dir` by key, or every problem found in them.
pub fn load_dir(dir: &Path) -> Result<BTreeMap<String, Workflow>, Vec<Problem>> {
    let unreadable = |file: String, e: std::io::Error| Problem {
        file,
        line: 1,
        kind: ProblemKind::Syntax,
        message: format!("cannot read: {e}"),
    };
    let entries = std::fs::read_dir(dir).map_err(|e| vec![unreadable(dir.display().to_string(), e)])?;
    let mut files: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|x| x.to_str()), Some("yaml" | "yml")))
        .collect();
    files.sort();
    let mut workflows = BTreeMap::new();
    let mut problems = Vec::new();
    for path in files {
        let name = path.display().to_string();
        let source = match std::fs::read_to_string(&path) {
            Ok(s) => s,
            Err(e) => {
                problems.push(unreadable(name, e));
                continue;
            }
        };
        match check(&name, &source) {
            Ok(wf) => {
                if workflows.contains_key(&wf.key) {
                    problems.push(Problem {
                        file: name,
                        line: 1,
                        kind: ProblemKind::FileName,
                        message: format!("a second workflow with the key {:?}", wf.key),
                    });
                } else {
                    workflows.insert(wf.key.clone(), wf);
                }
            }
            Err(found) => problems.extend(found),
        }
    }
    if problems.is_empty() { Ok(workflows) } else { Err(problems) }
}
