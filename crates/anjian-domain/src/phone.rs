//! Telephone numbers: mainland mobile (11 digits starting with 1) or landline
//! with area code (e.g. 0795-7123456).

/// Validates and normalises a phone number; returns a Chinese message on failure.
pub fn parse_phone(raw: &str) -> Result<String, String> {
    let s: String = raw.trim().chars().filter(|c| *c != ' ').collect();
    let mobile = s.len() == 11 && s.starts_with('1') && s.chars().all(|c| c.is_ascii_digit());
    let landline = {
        let parts: Vec<&str> = s.split('-').collect();
        match parts.as_slice() {
            [area, num] => {
                area.starts_with('0')
                    && (3..=4).contains(&area.len())
                    && (7..=8).contains(&num.len())
                    && area.chars().chain(num.chars()).all(|c| c.is_ascii_digit())
            }
            [num] => (7..=8).contains(&num.len()) && num.chars().all(|c| c.is_ascii_digit()),
            _ => false,
        }
    };
    if mobile || landline {
        Ok(s)
    } else {
        Err("电话号码格式不正确（手机号11位，座机如 0795-7123456）".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_mobile_and_landline() {
        assert!(parse_phone("13807951234").is_ok());
        assert!(parse_phone("0795-7123456").is_ok());
        assert!(parse_phone("7123456").is_ok());
        assert!(parse_phone("1380795123").is_err());
        assert!(parse_phone("abc").is_err());
        assert!(parse_phone("795-7123456").is_err());
    }
}
