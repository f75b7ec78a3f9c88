//! Exact decimals with two places, kept as integer hundredths (元 → 分, 公顷 → 0.01 公顷): read
//! from what was typed without floating point, and written back with both places.

/// Why a typed decimal was refused; each record's rules word it for their own field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalError {
    /// Not a non-negative decimal ("abc", "-1", "1.2.3", empty).
    Malformed,
    /// More than two places.
    TooFine,
    /// More digits than an i64 of hundredths holds comfortably.
    TooLarge,
}

/// Reads "1234.56", "1,234.5" or "0" (thousands separators `,` and `，` ignored) as hundredths.
pub fn parse_hundredths(s: &str) -> Result<i64, DecimalError> {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '，')
        .collect();
    let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
    let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !digits(int) || !digits(frac) {
        return Err(DecimalError::Malformed);
    }
    if frac.len() > 2 {
        return Err(DecimalError::TooFine);
    }
    if int.len() > 13 {
        return Err(DecimalError::TooLarge);
    }
    let whole: i64 = int.parse().map_err(|_| DecimalError::TooLarge)?;
    let part: i64 = format!("{frac:0<2}").parse().unwrap_or(0);
    Ok(whole * 100 + part)
}

/// Hundredths as a decimal with two places ("1234.50").
pub fn hundredths_text(v: i64) -> String {
    format!("{}.{:02}", v / 100, (v % 100).abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_read_exactly() {
        assert_eq!(parse_hundredths("1,234.5"), Ok(123_450));
        assert_eq!(parse_hundredths("0.07"), Ok(7));
        assert_eq!(parse_hundredths("12"), Ok(1200));
        assert_eq!(parse_hundredths("1.234"), Err(DecimalError::TooFine));
        assert_eq!(parse_hundredths("-1"), Err(DecimalError::Malformed));
        assert_eq!(parse_hundredths(".5"), Err(DecimalError::Malformed));
        assert_eq!(parse_hundredths(""), Err(DecimalError::Malformed));
        assert_eq!(
            parse_hundredths("12345678901234"),
            Err(DecimalError::TooLarge)
        );
        assert_eq!(hundredths_text(123_450), "1234.50");
    }
}
