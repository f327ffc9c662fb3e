//! Numbers as a Vietnamese reader writes them: thousands grouped by dots,
//! decimals after a comma (1.234,5).

/// `n` with its thousands grouped: 1.500.000.
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// `x` with at most two decimals, trailing zeros dropped: 33,33; 12,5; 80.
pub fn decimal(x: f64) -> String {
    let cents = (x * 100.0).round() as i64;
    let whole = grouped(cents / 100);
    let fraction = (cents % 100).unsigned_abs();
    let sign = if cents < 0 && cents / 100 == 0 { "-" } else { "" };
    match fraction {
        0 => format!("{sign}{whole}"),
        f if f % 10 == 0 => format!("{sign}{whole},{}", f / 10),
        f => format!("{sign}{whole},{f:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped_and_decimal_as_in_vietnamese() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(100_000), "100.000");
        assert_eq!(grouped(-1_234_567), "-1.234.567");
        assert_eq!(decimal(33.333), "33,33");
        assert_eq!(decimal(12.5), "12,5");
        assert_eq!(decimal(80.0), "80");
        assert_eq!(decimal(1234.05), "1.234,05");
        assert_eq!(decimal(-0.5), "-0,5");
    }
}
