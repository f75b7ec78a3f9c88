//! Parameter and column values, and reading a stored code or date as its domain type.

use super::*;

/// A parameter or column value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Bool(bool),
    Bytes(Vec<u8>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Real(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}
impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Self {
        Value::Bytes(v)
    }
}
impl From<&[u8]> for Value {
    fn from(v: &[u8]) -> Self {
        Value::Bytes(v.to_vec())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// Builds a parameter list: `params![a, b, c]`.
#[macro_export]
macro_rules! params {
    ($($v:expr),* $(,)?) => { [$($crate::db::Value::from($v)),*] };
}

/// A stored code checked against the domain's parser: a value that does not parse is an
/// error naming the table, row and column, never a default.
pub(crate) fn checked<T>(
    table: &'static str,
    row: i64,
    column: &'static str,
    value: String,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<String> {
    if parse(&value).is_some() {
        Ok(value)
    } else {
        Err(StoreError::Corrupt {
            table,
            row,
            column,
            value,
        })
    }
}

/// A stored code read as its domain type: a value that does not parse is an error naming the
/// table, row and column, never a default.
pub(crate) fn parsed<T>(
    table: &'static str,
    row: i64,
    column: &'static str,
    value: String,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<T> {
    parse(&value).ok_or(StoreError::Corrupt {
        table,
        row,
        column,
        value,
    })
}
