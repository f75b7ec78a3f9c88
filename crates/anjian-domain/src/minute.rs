//! Times to the minute, as records store and show them: `YYYY-MM-DD HH:MM`.

use chrono::NaiveDateTime;

/// Reads a time as typed or stored: `YYYY-MM-DD HH:MM` (a `T` may stand for the space,
/// seconds may follow).
pub fn parse(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim().replace('T', " ");
    ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&s, f).ok())
}

/// A time as stored and shown: `YYYY-MM-DD HH:MM`.
pub fn text(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_read_with_a_space_or_a_t_and_with_seconds() {
        let t = parse("2022-10-01 23:30");
        assert_eq!(parse("2022-10-01T23:30"), t);
        assert_eq!(parse("2022-10-01 23:30:00"), t);
        assert_eq!(parse("2022-10-01T23:30:00"), t);
        assert_eq!(t.map(text).as_deref(), Some("2022-10-01 23:30"));
        assert_eq!(parse("2022-10-01"), None);
    }
}
