//! Field values: what was typed, read into what is stored, and an object's fields checked
//! together.

use super::definition::{Condition, Field, FieldKind, ObjectType, Test, pow10};
use crate::ValidationErrors;
use serde_json::Value;
use std::collections::BTreeMap;

/// An object's stored values by field key (blank fields are absent).
pub type Data = serde_json::Map<String, Value>;

/// What only the store knows: the places and enterprises a typed name or code stands for.
/// Each answers None for what does not exist or lies outside the caller's scope.
pub trait Resolve {
    /// A region (township or village) by code or name, as its code.
    fn region(&self, typed: &str) -> Option<String>;
    /// An enterprise by id, name or 统一社会信用代码, as its id.
    fn enterprise(&self, typed: &str) -> Option<i64>;
    /// An attachment already uploaded for this object (by id).
    fn attachment(&self, typed: &str) -> Option<i64>;
}

pub(crate) use crate::validation::yes_no;

/// Reads a decimal with at most `decimals` places as an integer scaled by 10^decimals.
fn scaled(s: &str, decimals: u32) -> Result<i64, String> {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '，')
        .collect();
    let (neg, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, t),
    };
    let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
    let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !digits(int) || !digits(frac) {
        return Err("应为数字".into());
    }
    let frac = frac.trim_end_matches('0');
    if frac.len() > decimals as usize {
        return Err(if decimals == 0 {
            "应为整数".into()
        } else {
            format!("最多{decimals}位小数")
        });
    }
    if int.len() > 13 {
        return Err("数值过大".into());
    }
    let whole: i64 = int.parse().map_err(|_| "数值过大".to_string())?;
    let part: i64 = if decimals == 0 {
        0
    } else {
        format!("{frac:0<width$}", width = decimals as usize)
            .parse()
            .map_err(|_| "应为数字".to_string())?
    };
    let v = whole
        .checked_mul(pow10(decimals))
        .and_then(|w| w.checked_add(part))
        .ok_or_else(|| "数值过大".to_string())?;
    Ok(if neg { -v } else { v })
}

/// A scaled integer written back as a decimal ("120.5").
pub(crate) fn decimal_text(v: i64, decimals: u32) -> String {
    if decimals == 0 {
        return v.to_string();
    }
    let p = pow10(decimals);
    let sign = if v < 0 { "-" } else { "" };
    let (i, f) = (v.abs() / p, v.abs() % p);
    let frac = format!("{f:0width$}", width = decimals as usize);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{sign}{i}")
    } else {
        format!("{sign}{i}.{frac}")
    }
}

impl Field {
    /// Reads what was typed into this field: None when blank, the stored value, or why not
    /// (a message that names the field).
    pub fn read(&self, typed: &str, resolve: &dyn Resolve) -> Result<Option<Value>, String> {
        let t = typed.trim();
        if t.is_empty() {
            return Ok(None);
        }
        let label = &self.label;
        let v = match &self.kind {
            FieldKind::Text {
                max_len,
                pattern,
                pattern_hint,
            } => {
                if t.chars().count() > *max_len {
                    return Err(format!("{label}不能超过{max_len}个字"));
                }
                if let Some(p) = pattern {
                    let re = regex_lite::RegexBuilder::new(&format!("^(?:{p})$"))
                        .size_limit(1 << 20)
                        .build()
                        .map_err(|_| format!("{label}的格式规则有误，请联系安委办"))?;
                    if !re.is_match(t) {
                        return Err(match pattern_hint {
                            Some(h) => format!("{label}格式不对：{h}"),
                            None => format!("{label}格式不对"),
                        });
                    }
                }
                Value::String(t.to_string())
            }
            FieldKind::Number {
                unit,
                decimals,
                min,
                max,
            } => {
                let n = scaled(t, *decimals).map_err(|m| format!("{label}{m}"))?;
                if n < *min {
                    return Err(format!(
                        "{label}不能小于{}{unit}",
                        decimal_text(*min, *decimals)
                    ));
                }
                if let Some(hi) = max
                    && n > *hi
                {
                    return Err(format!(
                        "{label}不能大于{}{unit}",
                        decimal_text(*hi, *decimals)
                    ));
                }
                Value::from(n)
            }
            FieldKind::Date => {
                let d = crate::validation::parse_date(t)
                    .map_err(|_| format!("{label}应为 YYYY-MM-DD 格式的有效日期"))?;
                Value::String(d.format("%Y-%m-%d").to_string())
            }
            FieldKind::Choice { options } => {
                if !options.iter().any(|o| o == t) {
                    return Err(format!("{label}应为：{}", options.join("、")));
                }
                Value::String(t.to_string())
            }
            FieldKind::YesNo => {
                Value::Bool(yes_no(t).ok_or_else(|| format!("{label}应填“是”或“否”"))?)
            }
            FieldKind::Region => Value::String(
                resolve
                    .region(t)
                    .ok_or_else(|| format!("{label}“{t}”不是本辖区的乡镇或村"))?,
            ),
            FieldKind::Enterprise => Value::from(
                resolve
                    .enterprise(t)
                    .ok_or_else(|| format!("{label}“{t}”不是已登记的企业"))?,
            ),
            FieldKind::Attachment => Value::from(
                resolve
                    .attachment(t)
                    .ok_or_else(|| format!("{label}：附件不存在"))?,
            ),
        };
        Ok(Some(v))
    }

    /// A stored value as one would type it (numbers as decimals, yes/no as 是/否; a region,
    /// an enterprise and an attachment as their code or id, which pages put into names).
    pub fn text_of(&self, v: &Value) -> String {
        match (&self.kind, v) {
            (FieldKind::Number { decimals, .. }, Value::Number(n)) => n
                .as_i64()
                .map(|i| decimal_text(i, *decimals))
                .unwrap_or_default(),
            (_, Value::Bool(b)) => if *b { "是" } else { "否" }.into(),
            (_, Value::String(s)) => s.clone(),
            (_, Value::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    }

    /// The unit a number is read in (empty for other fields).
    pub fn unit(&self) -> &str {
        match &self.kind {
            FieldKind::Number { unit, .. } => unit,
            _ => "",
        }
    }
}

impl Condition {
    /// Whether the condition holds of an object's stored values.
    pub fn holds(&self, data: &Data) -> bool {
        let v = data.get(&self.field);
        match &self.test {
            Test::Filled(want) => v.is_some() == *want,
            Test::Equals(x) => v == Some(x),
            Test::In(list) => v.is_some_and(|v| list.contains(v)),
            Test::AtLeast(x) => v.is_some_and(|v| compare(v, x).is_some_and(|o| o.is_ge())),
            Test::AtMost(x) => v.is_some_and(|v| compare(v, x).is_some_and(|o| o.is_le())),
        }
    }
}

fn compare(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => Some(x.as_i64()?.cmp(&y.as_i64()?)),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

impl ObjectType {
    /// Reads a whole row: every field from what was typed (keyed by field key), unknown keys
    /// refused, required and required-when checked on the values read. Errors are keyed by
    /// field key and name the field in words.
    pub fn read(
        &self,
        typed: &BTreeMap<String, String>,
        resolve: &dyn Resolve,
    ) -> Result<Data, ValidationErrors> {
        let mut e = ValidationErrors::new();
        for k in typed.keys() {
            if self.field(k).is_none() {
                e.add(k, format!("“{}”不是“{}”的字段", k, self.name));
            }
        }
        let mut data = Data::new();
        for f in &self.fields {
            let typed = typed.get(&f.key).map(String::as_str).unwrap_or("");
            match f.read(typed, resolve) {
                Ok(Some(v)) => {
                    data.insert(f.key.clone(), v);
                }
                Ok(None) => {}
                Err(m) => e.add(&f.key, m),
            }
        }
        for f in &self.fields {
            if data.contains_key(&f.key) || e.fields.contains_key(&f.key) {
                continue;
            }
            if f.required {
                e.add(&f.key, format!("请填写{}", f.label));
            } else if let Some(c) = &f.required_when
                && c.holds(&data)
            {
                let because = self.field(&c.field).map(|x| x.label.as_str()).unwrap_or("");
                e.add(
                    &f.key,
                    format!("{because}为“{}”时须填写{}", cond_words(self, c), f.label),
                );
            }
        }
        e.into_result().map(|()| data)
    }

    /// The list filters a row answers to: `|key=value|` for each choice and yes/no value (a
    /// list asks for `%|grade=C|%`, the same on both stores).
    pub fn facets(&self, data: &Data) -> String {
        let mut out = String::new();
        for f in &self.fields {
            if !matches!(f.kind, FieldKind::Choice { .. } | FieldKind::YesNo) {
                continue;
            }
            if let Some(v) = data.get(&f.key) {
                if out.is_empty() {
                    out.push('|');
                }
                out.push_str(&Self::facet(&f.key, &f.text_of(v)));
                out.push('|');
            }
        }
        out
    }

    /// One facet as [`ObjectType::facets`] writes it (`|` in a value is written `/`).
    pub fn facet(key: &str, value: &str) -> String {
        format!("{key}={}", value.replace('|', "/"))
    }

    /// A row's name in lists: its title fields' values, joined.
    pub fn title_of(&self, data: &Data) -> String {
        let parts: Vec<String> = self
            .title
            .iter()
            .filter_map(|k| {
                let f = self.field(k)?;
                let v = data.get(k)?;
                Some(f.text_of(v))
            })
            .filter(|s| !s.is_empty())
            .collect();
        parts.join(" ")
    }
}

/// The value a condition looks for, in words.
fn cond_words(o: &ObjectType, c: &Condition) -> String {
    let f = o.field(&c.field);
    let text = |v: &Value| f.map(|f| f.text_of(v)).unwrap_or_default();
    match &c.test {
        Test::Equals(v) => text(v),
        Test::In(list) => list.iter().map(text).collect::<Vec<_>>().join("或"),
        Test::AtLeast(v) => format!("不小于{}", text(v)),
        Test::AtMost(v) => format!("不大于{}", text(v)),
        Test::Filled(true) => "已填写".into(),
        Test::Filled(false) => "未填写".into(),
    }
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn scaled_numbers_read_exactly() {
        assert_eq!(scaled("120.5", 1), Ok(1205));
        assert_eq!(scaled("1,200", 0), Ok(1200));
        assert_eq!(scaled("12.50", 1), Ok(125));
        assert_eq!(scaled("-3", 0), Ok(-3));
        assert!(scaled("1.25", 1).is_err());
        assert!(scaled("1.5", 0).is_err());
        assert!(scaled("abc", 0).is_err());
        assert!(scaled("99999999999999", 0).is_err());
        assert_eq!(decimal_text(1205, 1), "120.5");
        assert_eq!(decimal_text(1200, 2), "12");
        assert_eq!(decimal_text(-5, 1), "-0.5");
    }
}
