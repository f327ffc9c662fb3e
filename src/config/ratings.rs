//! Satisfaction ratings (REGULATIONS §5.3): the criteria, how long a rating
//! may be changed, and the national service name it is synced under. The
//! five criteria are REGULATIONS' recommendation (unverified), hence a
//! setting; no official name of the national rating service is known.

#[derive(Debug, Clone, PartialEq)]
pub struct Criterion {
    pub key: String,
    pub label_vi: String,
    pub label_en: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RatingSettings {
    pub criteria: Vec<Criterion>,
    /// A rating may be changed for this many days after it is first given.
    pub edit_days: i64,
    /// The national adapter's service for ratings (`DongBoDanhGiaHoSo` until one is published).
    pub national_service: String,
}

/// The recommended criteria: key, Vietnamese label, English label.
const DEFAULT_CRITERIA: &[(&str, &str, &str)] = &[
    ("overall", "Mức độ hài lòng chung", "Overall satisfaction"),
    ("online", "Sự thuận tiện của dịch vụ trực tuyến", "Convenience of the online service"),
    ("on_time", "Kết quả được trả đúng hẹn", "Result returned on time"),
    ("attitude", "Thái độ của cán bộ, công chức", "Officials' attitude"),
    ("contacts", "Số lần phải liên hệ để hoàn thành thủ tục", "Number of contacts needed"),
];

pub const DEFAULT_SERVICE: &str = "DongBoDanhGiaHoSo";

impl Default for RatingSettings {
    fn default() -> Self {
        RatingSettings {
            criteria: DEFAULT_CRITERIA
                .iter()
                .map(|(k, vi, en)| Criterion { key: (*k).into(), label_vi: (*vi).into(), label_en: (*en).into() })
                .collect(),
            edit_days: 3,
            national_service: DEFAULT_SERVICE.into(),
        }
    }
}

fn is_key(s: &str) -> bool {
    !s.is_empty() && s.len() <= 32 && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// `MOTCUA_RATING_CRITERIA`: keys separated by commas; a known key takes its
/// labels, another one gives its Vietnamese label after `=` (`ket_qua=Kết quả giải quyết`).
fn parse_criteria(text: &str, errors: &mut Vec<String>) -> Vec<Criterion> {
    let mut out: Vec<Criterion> = Vec::new();
    for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (key, label) = match item.split_once('=') {
            Some((k, l)) => (k.trim(), Some(crate::text::nfc(l.trim()))),
            None => (item, None),
        };
        if !is_key(key) || out.iter().any(|c| c.key == key) {
            errors.push(format!("MOTCUA_RATING_CRITERIA: {key:?} is not a new lower-case key"));
            continue;
        }
        let known = DEFAULT_CRITERIA.iter().find(|(k, _, _)| *k == key);
        match (label, known) {
            (Some(l), _) if !l.is_empty() => out.push(Criterion { key: key.into(), label_en: l.clone(), label_vi: l }),
            (None, Some((_, vi, en))) => {
                out.push(Criterion { key: key.into(), label_vi: (*vi).into(), label_en: (*en).into() })
            }
            _ => errors.push(format!("MOTCUA_RATING_CRITERIA: {key:?} needs its label, as {key}=Nhãn")),
        }
    }
    if out.is_empty() {
        errors.push("MOTCUA_RATING_CRITERIA names no criterion".into());
    }
    out
}

impl RatingSettings {
    pub(super) fn parse(
        criteria: Option<&str>,
        edit_days: Option<&str>,
        service: Option<&str>,
        errors: &mut Vec<String>,
    ) -> Self {
        let d = RatingSettings::default();
        let criteria = criteria.map_or(d.criteria, |text| parse_criteria(text, errors));
        let edit_days = match edit_days.map(|v| v.trim().parse::<i64>()) {
            None => d.edit_days,
            Some(Ok(n)) if (0..=90).contains(&n) => n,
            Some(_) => {
                errors.push("MOTCUA_RATING_EDIT_DAYS must be a whole number from 0 to 90".into());
                d.edit_days
            }
        };
        let national_service = match service.map(str::trim) {
            None => d.national_service,
            Some(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric()) => s.to_owned(),
            Some(_) => {
                errors.push("MOTCUA_NATIONAL_RATING_SERVICE must be a service name of letters and digits".into());
                d.national_service
            }
        };
        RatingSettings { criteria, edit_days, national_service }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_five_recommended_criteria_by_default_and_a_set_of_ones_own() {
        let mut errors = Vec::new();
        let d = RatingSettings::parse(None, None, None, &mut errors);
        assert_eq!(
            d.criteria.iter().map(|c| c.key.as_str()).collect::<Vec<_>>(),
            ["overall", "online", "on_time", "attitude", "contacts"]
        );
        assert_eq!((d.edit_days, d.national_service.as_str()), (3, "DongBoDanhGiaHoSo"));
        let own = RatingSettings::parse(Some("overall, ket_qua=Kết quả giải quyết"), Some("7"), None, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(own.criteria[1].label_vi, "Kết quả giải quyết");
        assert_eq!(own.edit_days, 7);
        RatingSettings::parse(Some("overall,overall,Bad,lạ"), Some("-1"), Some("x y"), &mut errors);
        assert_eq!(errors.len(), 5, "{errors:?}");
    }
}
