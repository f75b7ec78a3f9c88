//! Field-level validation errors: field name -> Chinese messages.

use serde::Serialize;
use std::collections::BTreeMap;

/// Validation failures keyed by field name, each with one or more Chinese messages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ValidationErrors {
    pub fields: BTreeMap<String, Vec<String>>,
}

impl ValidationErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// A single-field error.
    pub fn single(field: &str, message: impl Into<String>) -> Self {
        let mut e = Self::new();
        e.add(field, message);
        e
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.fields
            .entry(field.to_string())
            .or_default()
            .push(message.into());
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// `Ok(())` when empty, else `Err(self)`.
    pub fn into_result(self) -> Result<(), Self> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }

    /// Merges another set of errors into this one.
    pub fn merge(&mut self, other: ValidationErrors) {
        for (k, v) in other.fields {
            self.fields.entry(k).or_default().extend(v);
        }
    }

    /// One line summarising all messages, for CLI reports and logs.
    pub fn summary(&self) -> String {
        self.fields
            .iter()
            .map(|(k, v)| format!("{k}: {}", v.join("；")))
            .collect::<Vec<_>>()
            .join("；")
    }

    /// Records the error of a fallible parse under `field`, returning the value if any.
    pub fn check<T, E: std::fmt::Display>(&mut self, field: &str, r: Result<T, E>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(field, e.to_string());
                None
            }
        }
    }
}

impl std::fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.summary())
    }
}

impl std::error::Error for ValidationErrors {}

/// Trims a required text field; records "必填" when blank and a length error when too long.
pub fn required_text(
    errs: &mut ValidationErrors,
    field: &str,
    label: &str,
    value: &str,
    max_chars: usize,
) -> String {
    let v = value.trim();
    if v.is_empty() {
        errs.add(field, format!("{label}不能为空"));
    } else if v.chars().count() > max_chars {
        errs.add(field, format!("{label}不能超过{max_chars}个字"));
    }
    v.to_string()
}

/// Trims an optional text field; `None` when blank.
pub fn optional_text(
    errs: &mut ValidationErrors,
    field: &str,
    label: &str,
    value: Option<&str>,
    max_chars: usize,
) -> Option<String> {
    let v = value.map(str::trim).filter(|s| !s.is_empty())?;
    if v.chars().count() > max_chars {
        errs.add(field, format!("{label}不能超过{max_chars}个字"));
    }
    Some(v.to_string())
}

/// Parses a `YYYY-MM-DD` date.
pub fn parse_date(value: &str) -> Result<chrono::NaiveDate, String> {
    let v = value.trim();
    if v.len() != 10 {
        return Err("日期格式应为 YYYY-MM-DD".into());
    }
    chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .map_err(|_| "日期格式应为 YYYY-MM-DD，且须为有效日期".into())
}

/// Reads 是/否 and the usual ways of writing them.
pub fn yes_no(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "是" | "有" | "已" | "已安装" | "已落实" | "y" | "yes" | "true" | "1" | "√" | "✓" => {
            Some(true)
        }
        "否" | "无" | "未" | "未安装" | "未落实" | "n" | "no" | "false" | "0" | "×" | "✗" => {
            Some(false)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_messages_per_field() {
        let mut e = ValidationErrors::new();
        e.add("name", "a");
        e.add("name", "b");
        e.add("uscc", "c");
        assert_eq!(e.fields["name"], vec!["a", "b"]);
        assert!(e.clone().into_result().is_err());
        assert!(ValidationErrors::new().into_result().is_ok());
    }

    #[test]
    fn required_text_rejects_blank_and_long() {
        let mut e = ValidationErrors::new();
        required_text(&mut e, "name", "名称", "  ", 10);
        required_text(&mut e, "addr", "地址", "一二三四五六", 5);
        assert_eq!(e.fields.len(), 2);
    }

    #[test]
    fn dates_must_be_real() {
        assert!(parse_date("2022-02-29").is_err());
        assert!(parse_date("2024-02-29").is_ok());
        assert!(parse_date("2024-2-9").is_err());
    }
}
