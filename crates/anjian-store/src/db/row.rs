//! One result row, its columns read by position.

use super::*;

/// One result row; columns by position.
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub Vec<Value>);

fn col_err(i: usize, want: &str, got: &Value) -> StoreError {
    StoreError::Backend(format!("column {i}: expected {want}, got {got:?}"))
}

impl Row {
    fn at(&self, i: usize) -> Result<&Value> {
        self.0
            .get(i)
            .ok_or_else(|| StoreError::Backend(format!("column {i} missing")))
    }
    pub fn i64(&self, i: usize) -> Result<i64> {
        match self.at(i)? {
            Value::Int(v) => Ok(*v),
            Value::Bool(b) => Ok(i64::from(*b)),
            other => Err(col_err(i, "integer", other)),
        }
    }
    pub fn opt_i64(&self, i: usize) -> Result<Option<i64>> {
        match self.at(i)? {
            Value::Null => Ok(None),
            _ => self.i64(i).map(Some),
        }
    }
    pub fn f64(&self, i: usize) -> Result<f64> {
        match self.at(i)? {
            Value::Real(v) => Ok(*v),
            Value::Int(v) => Ok(*v as f64),
            other => Err(col_err(i, "real", other)),
        }
    }
    pub fn text(&self, i: usize) -> Result<String> {
        match self.at(i)? {
            Value::Text(v) => Ok(v.clone()),
            other => Err(col_err(i, "text", other)),
        }
    }
    pub fn opt_text(&self, i: usize) -> Result<Option<String>> {
        match self.at(i)? {
            Value::Null => Ok(None),
            _ => self.text(i).map(Some),
        }
    }
    /// [`Row::text`] without a copy: moves the string out (for rows read once, on hot
    /// paths); the column is left empty.
    pub fn take_text(&mut self, i: usize) -> Result<String> {
        match self.0.get_mut(i) {
            Some(Value::Text(v)) => Ok(std::mem::take(v)),
            Some(other) => Err(col_err(i, "text", other)),
            None => Err(StoreError::Backend(format!("column {i} missing"))),
        }
    }
    pub fn take_opt_text(&mut self, i: usize) -> Result<Option<String>> {
        match self.at(i)? {
            Value::Null => Ok(None),
            _ => self.take_text(i).map(Some),
        }
    }
    pub fn bytes(&self, i: usize) -> Result<Vec<u8>> {
        match self.at(i)? {
            Value::Bytes(b) => Ok(b.clone()),
            Value::Text(t) => Ok(t.as_bytes().to_vec()),
            other => Err(col_err(i, "bytes", other)),
        }
    }
    pub fn bool(&self, i: usize) -> Result<bool> {
        match self.at(i)? {
            Value::Bool(b) => Ok(*b),
            Value::Int(v) => Ok(*v != 0),
            other => Err(col_err(i, "boolean", other)),
        }
    }
}
