//! The indicators the portal computes, their groups and how they score
//! (REGULATIONS §5.1–5.2): a rate at or above its threshold earns the full
//! points, below it `rate × maximum ÷ threshold`. The groups' maxima are
//! the decision's; how a group's points split among its indicators is not
//! published, so each indicator's maximum is a share of its group's
//! (our reading, unverified): the group's points divided equally among all
//! its indicators, computed here or not; 2.2 (an average time, not a rate)
//! is reported without points and 2.1 carries group 2.

use serde::Serialize;

/// One indicator's definition.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Indicator {
    pub id: &'static str,
    pub group: &'static str,
    pub maximum: f64,
    /// The rate in percent that earns the full points.
    pub threshold: f64,
}

/// The groups and their maxima (REGULATIONS §5.1).
pub const GROUPS: &[(&str, f64)] = &[("1", 18.0), ("2", 20.0), ("3", 22.0), ("4", 22.0), ("5", 18.0)];

/// The indicators computed here. Group 1 has four indicators (1.1–1.4),
/// group 3 five (3.1, 3.2, 3.3, 3.5, 3.6), group 4 five (4.1–4.5), group 5
/// four (5.1–5.4): each gets its group's maximum ÷ that count.
pub const INDICATORS: &[Indicator] = &[
    Indicator { id: "1.4", group: "1", maximum: 4.5, threshold: 100.0 },
    Indicator { id: "2.1", group: "2", maximum: 20.0, threshold: 100.0 },
    Indicator { id: "2.2", group: "2", maximum: 0.0, threshold: 100.0 },
    Indicator { id: "3.2", group: "3", maximum: 4.4, threshold: 100.0 },
    Indicator { id: "3.3", group: "3", maximum: 4.4, threshold: 50.0 },
    Indicator { id: "3.6", group: "3", maximum: 4.4, threshold: 100.0 },
    Indicator { id: "4.1", group: "4", maximum: 4.4, threshold: 100.0 },
    Indicator { id: "4.2", group: "4", maximum: 4.4, threshold: 80.0 },
    Indicator { id: "4.3", group: "4", maximum: 4.4, threshold: 80.0 },
    Indicator { id: "5.4", group: "5", maximum: 4.5, threshold: 90.0 },
];

/// Rates are rounded to 2 decimals (REGULATIONS §5.2).
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// `numerator ÷ denominator` in percent; a zero denominator gives 0.
pub fn rate(numerator: i64, denominator: i64) -> f64 {
    if denominator <= 0 { 0.0 } else { round2(numerator as f64 * 100.0 / denominator as f64) }
}

/// The scoring rule: full at the threshold, proportional below it.
pub fn points(value: f64, threshold: f64, maximum: f64) -> f64 {
    if maximum <= 0.0 || threshold <= 0.0 {
        return 0.0;
    }
    round2(if value >= threshold { maximum } else { value.max(0.0) * maximum / threshold })
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct IndicatorValue {
    pub id: &'static str,
    pub numerator: i64,
    pub denominator: i64,
    /// In percent, except 2.2 (days).
    pub value: f64,
    pub points: f64,
    pub maximum: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GroupValue {
    pub id: &'static str,
    pub points: f64,
    pub maximum: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Index {
    pub indicators: Vec<IndicatorValue>,
    pub groups: Vec<GroupValue>,
    /// Out of 100: the indicators not computed here earn nothing.
    pub total: f64,
    /// The points the computed indicators can earn at most.
    pub maximum_computed: f64,
}

/// The counts behind each indicator, as `measure` reads them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    pub received: i64,
    pub synced: i64,
    pub on_time: i64,
    pub online_services: i64,
    pub online_services_used: i64,
    pub online_synced: i64,
    pub with_fee: i64,
    pub paid_online: i64,
    pub with_result: i64,
    pub e_result: i64,
    pub digitised: i64,
    pub reused: i64,
    pub disliked: i64,
    /// Dossiers whose result was ready in the period, and their days of processing (clock pauses taken out).
    pub resolved: i64,
    pub resolved_days: f64,
}

/// The index from the counts.
pub fn compute(c: &Counts) -> Index {
    let on_time = rate(c.on_time, c.received);
    // 5.4: 100 % − (overdue rate + rate with a "dislike"), not below 0.
    let disliked = rate(c.disliked, c.received);
    let satisfied = if c.received == 0 { 0.0 } else { round2((100.0 - (100.0 - on_time) - disliked).max(0.0)) };
    let average = if c.resolved == 0 { 0.0 } else { round2(c.resolved_days / c.resolved as f64) };
    let figures: Vec<(&str, i64, i64, f64)> = vec![
        ("1.4", c.synced, c.received, rate(c.synced, c.received)),
        ("2.1", c.on_time, c.received, on_time),
        ("2.2", c.resolved, c.resolved, average),
        ("3.2", c.online_services_used, c.online_services, rate(c.online_services_used, c.online_services)),
        ("3.3", c.online_synced, c.received, rate(c.online_synced, c.received)),
        ("3.6", c.paid_online, c.with_fee, rate(c.paid_online, c.with_fee)),
        ("4.1", c.e_result, c.with_result, rate(c.e_result, c.with_result)),
        ("4.2", c.digitised, c.received, rate(c.digitised, c.received)),
        ("4.3", c.reused, c.received, rate(c.reused, c.received)),
        ("5.4", (c.on_time - c.disliked).max(0), c.received, satisfied),
    ];
    let indicators: Vec<IndicatorValue> = INDICATORS
        .iter()
        .map(|def| {
            let (_, numerator, denominator, value) =
                figures.iter().find(|f| f.0 == def.id).copied().unwrap_or((def.id, 0, 0, 0.0));
            IndicatorValue {
                id: def.id,
                numerator,
                denominator,
                value,
                points: points(value, def.threshold, def.maximum),
                maximum: def.maximum,
            }
        })
        .collect();
    let groups: Vec<GroupValue> = GROUPS
        .iter()
        .map(|(id, maximum)| GroupValue {
            id,
            points: round2(
                INDICATORS.iter().zip(&indicators).filter(|(d, _)| d.group == *id).map(|(_, v)| v.points).sum(),
            ),
            maximum: *maximum,
        })
        .collect();
    Index {
        total: round2(groups.iter().map(|g| g.points).sum()),
        maximum_computed: round2(INDICATORS.iter().map(|d| d.maximum).sum()),
        indicators,
        groups,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_points_at_the_threshold_and_a_share_below() {
        assert_eq!(points(50.0, 50.0, 4.4), 4.4);
        assert_eq!(points(25.0, 50.0, 4.4), 2.2);
        assert_eq!(points(95.0, 90.0, 4.5), 4.5);
        assert_eq!(points(45.0, 90.0, 4.5), 2.25);
        assert_eq!(rate(1, 3), 33.33);
        assert_eq!(rate(5, 0), 0.0);
    }

    #[test]
    fn the_groups_never_exceed_their_maxima_and_the_total_adds_them() {
        let c = Counts {
            received: 10,
            synced: 10,
            on_time: 8,
            online_services: 2,
            online_services_used: 1,
            online_synced: 6,
            with_fee: 4,
            paid_online: 2,
            with_result: 5,
            e_result: 5,
            digitised: 9,
            reused: 2,
            disliked: 1,
            resolved: 5,
            resolved_days: 31.0,
        };
        let index = compute(&c);
        let value = |id: &str| index.indicators.iter().find(|i| i.id == id).unwrap().clone();
        assert_eq!(value("2.1").value, 80.0);
        assert_eq!(value("2.1").points, 16.0);
        assert_eq!(value("5.4").value, 70.0, "100 − (20 overdue + 10 disliked)");
        assert_eq!(value("2.2").value, 6.2);
        assert_eq!(value("3.3").points, 4.4, "60 % is above the 50 % threshold");
        for (g, (_, max)) in index.groups.iter().zip(GROUPS) {
            assert!(g.points <= g.maximum && g.maximum == *max);
        }
        assert_eq!(index.total, round2(index.groups.iter().map(|g| g.points).sum()));
        assert!(index.maximum_computed <= 100.0);
    }
}
