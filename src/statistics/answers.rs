//! The answers given in the ratings of a dashboard's scope, per criterion and
//! level, counted from each dossier's rating answers (`dossier.rating_answers`,
//! a fact the rating writes): the dossiers grouped by their set of answers,
//! few distinct ones, then split here.

use sea_orm::{ConnectionTrait, FromQueryResult, Statement};
use serde::Serialize;

use super::dashboard::{Scope, scope_filter, scope_values};
use super::measure::placeholders;
use crate::error::AppError;

/// The answers to one rating criterion, per level.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Answers {
    pub criterion: String,
    pub very_satisfied: i64,
    pub satisfied: i64,
    pub dissatisfied: i64,
}

#[derive(Debug, FromQueryResult)]
struct AnswerRow {
    answers: String,
    n: i64,
}

/// The answers given in the ratings of the scope's dossiers, per criterion and level:
/// the dossiers grouped by their rating's answers (few distinct sets), then split here.
pub async fn answers(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<Answers>, AppError> {
    let backend = db.get_database_backend();
    let p = placeholders(backend, 3);
    let sql = format!(
        "SELECT d.rating_answers AS answers, CAST(COUNT(*) AS BIGINT) AS n FROM dossier d \
         WHERE {} AND d.rating_answers IS NOT NULL GROUP BY d.rating_answers",
        scope_filter(scope, &p, &p[2])
    );
    let rows = AnswerRow::find_by_statement(Statement::from_sql_and_values(backend, &sql, scope_values(scope, vec![])))
        .all(db)
        .await?;
    let mut out: std::collections::BTreeMap<String, Answers> = std::collections::BTreeMap::new();
    for row in rows {
        for pair in row.answers.split(',') {
            let Some((criterion, level)) = pair.split_once(':') else { continue };
            let a = out
                .entry(criterion.to_owned())
                .or_insert_with(|| Answers { criterion: criterion.to_owned(), ..Answers::default() });
            match crate::rating::Level::parse(level) {
                Some(crate::rating::Level::VerySatisfied) => a.very_satisfied += row.n,
                Some(crate::rating::Level::Satisfied) => a.satisfied += row.n,
                Some(crate::rating::Level::Dissatisfied) => a.dissatisfied += row.n,
                None => {}
            }
        }
    }
    Ok(out.into_values().collect())
}
