//! Rows read by column name: a table's columns declared once ([`Columns`], [`table_row!`]),
//! the reader finding each column by name at compile time, and every read error naming the
//! table, the row and the column.

use super::{Row, Value, parsed};
use crate::{Result, StoreError};

/// A table's columns as one declaration: each column's name paired with its SELECT expression.
/// The SELECT list is built from it ([`SelectList`]) and the reader finds each column by name
/// at compile time ([`col`]), so the two cannot drift apart.
pub(crate) type Columns = [(&'static str, &'static str)];

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The position of the column `name` in a declaration; used in constants, so a name that is
/// not declared fails the build.
pub(crate) const fn col(cols: &Columns, name: &str) -> usize {
    let mut i = 0;
    while i < cols.len() {
        if same(cols[i].0, name) {
            return i;
        }
        i += 1;
    }
    panic!("a column read by name is not in the declaration")
}

/// A row read by column name: every error names the table, the row and the column.
pub(crate) struct Named {
    row: Row,
    table: &'static str,
    id: i64,
}

impl Named {
    /// `id` is the row's key, for the messages.
    pub(crate) fn new(row: Row, table: &'static str, id: (usize, &'static str)) -> Result<Self> {
        let key = row.i64(id.0).map_err(|_| StoreError::Corrupt {
            table,
            row: 0,
            column: id.1,
            value: format!("{:?}", row.0.get(id.0)),
        })?;
        Ok(Self {
            row,
            table,
            id: key,
        })
    }

    /// A row of a table keyed by text: the messages say row 0.
    pub(crate) fn keyless(row: Row, table: &'static str) -> Self {
        Self { row, table, id: 0 }
    }

    fn corrupt(&self, c: (usize, &'static str)) -> StoreError {
        StoreError::Corrupt {
            table: self.table,
            row: self.id,
            column: c.1,
            value: format!("{:?}", self.row.0.get(c.0)),
        }
    }

    pub(crate) fn text(&mut self, c: (usize, &'static str)) -> Result<String> {
        match self.row.take_text(c.0) {
            Ok(v) => Ok(v),
            Err(_) => Err(self.corrupt(c)),
        }
    }

    pub(crate) fn opt_text(&mut self, c: (usize, &'static str)) -> Result<Option<String>> {
        match self.row.take_opt_text(c.0) {
            Ok(v) => Ok(v),
            Err(_) => Err(self.corrupt(c)),
        }
    }

    pub(crate) fn i64(&self, c: (usize, &'static str)) -> Result<i64> {
        self.row.i64(c.0).map_err(|_| self.corrupt(c))
    }

    pub(crate) fn opt_i64(&self, c: (usize, &'static str)) -> Result<Option<i64>> {
        self.row.opt_i64(c.0).map_err(|_| self.corrupt(c))
    }

    pub(crate) fn f64(&self, c: (usize, &'static str)) -> Result<f64> {
        self.row.f64(c.0).map_err(|_| self.corrupt(c))
    }

    pub(crate) fn opt_f64(&self, c: (usize, &'static str)) -> Result<Option<f64>> {
        match self.row.0.get(c.0) {
            Some(crate::db::Value::Null) => Ok(None),
            _ => self.f64(c).map(Some),
        }
    }

    /// A stored code kept as text, checked against the domain's parser.
    pub(crate) fn checked<T>(
        &mut self,
        c: (usize, &'static str),
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<String> {
        let v = self.text(c)?;
        super::checked(self.table, self.id, c.1, v, parse)
    }

    /// A stored code read as its domain type.
    pub(crate) fn code<T>(
        &mut self,
        c: (usize, &'static str),
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<T> {
        let v = self.text(c)?;
        parsed(self.table, self.id, c.1, v, parse)
    }

    /// A stored code read as its domain type, or NULL.
    pub(crate) fn opt_code<T>(
        &mut self,
        c: (usize, &'static str),
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<Option<T>> {
        match self.opt_text(c)? {
            None => Ok(None),
            Some(v) => parsed(self.table, self.id, c.1, v, parse).map(Some),
        }
    }
}

/// A declaration's SELECT list, written where it is formatted (`format!("SELECT {COLS} …")`).
pub(crate) struct SelectList(pub &'static Columns);

impl std::fmt::Display for SelectList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, c) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(c.1)?;
        }
        Ok(())
    }
}

impl From<chrono::NaiveDate> for Value {
    /// Dates are stored as `YYYY-MM-DD` text on both backends.
    fn from(d: chrono::NaiveDate) -> Self {
        use chrono::Datelike;
        // `Display` writes the same ten characters for four-digit years, without parsing a
        // format string (a bulk load writes three dates per hazard).
        if (0..=9999).contains(&d.year()) {
            Value::Text(d.to_string())
        } else {
            Value::Text(d.format("%Y-%m-%d").to_string())
        }
    }
}

/// A stored `YYYY-MM-DD` date. The stored form (ten ASCII bytes) is read directly, anything
/// else through chrono's parser: a list of hazards reads four dates per row.
pub(crate) fn date_of(s: &str) -> Option<chrono::NaiveDate> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10))
    {
        return chrono::NaiveDate::from_ymd_opt(y as i32, m, d);
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

impl Named {
    /// A stored `YYYY-MM-DD` date.
    pub(crate) fn date(&mut self, c: (usize, &'static str)) -> Result<chrono::NaiveDate> {
        self.code(c, date_of)
    }

    pub(crate) fn opt_date(
        &mut self,
        c: (usize, &'static str),
    ) -> Result<Option<chrono::NaiveDate>> {
        match self.opt_text(c)? {
            None => Ok(None),
            Some(v) => parsed(self.table, self.id, c.1, v, date_of).map(Some),
        }
    }

    /// A JSON document stored as text, read as its type.
    pub(crate) fn json<T: serde::de::DeserializeOwned>(
        &mut self,
        c: (usize, &'static str),
    ) -> Result<T> {
        self.code(c, |v| serde_json::from_str(v).ok())
    }

    /// A JSON document stored as text, or NULL.
    pub(crate) fn opt_json<T: serde::de::DeserializeOwned>(
        &mut self,
        c: (usize, &'static str),
    ) -> Result<Option<T>> {
        match self.opt_text(c)? {
            None => Ok(None),
            Some(v) => parsed(self.table, self.id, c.1, v, |v| {
                serde_json::from_str(v).ok()
            })
            .map(Some),
        }
    }

    pub(crate) fn bool(&self, c: (usize, &'static str)) -> Result<bool> {
        self.row.bool(c.0).map_err(|_| self.corrupt(c))
    }
}

/// `(position, name)` of a declared column, the position found at compile time.
#[macro_export]
#[doc(hidden)]
macro_rules! column {
    ($cols:expr, $name:expr) => {{
        const I: usize = $crate::db::col(&$cols, $name);
        (I, $name)
    }};
}

/// One declaration of a table's row: each field of the record with its reader (`i64`,
/// `opt_i64`, `text`, `opt_text`, `bool`, `date`, `opt_date`, `json`, `code(parse)` for a
/// domain type, or `checked(parse)` for a code kept as text) and, where it differs from the
/// field's name, its SELECT expression. It defines `COLUMNS` (name and expression), `COLS` (the
/// SELECT list) and the reader `fn $reader(&Row) -> Result<$Record>`, which reads every column
/// by name, so the list and the reader cannot drift apart and a value that does not read is an
/// error naming the table, the row and the column.
///
/// Options: `key` names the column that identifies the row in the messages (without it, for a
/// table keyed by text, they say row 0); `cols NAME` defines the SELECT list as `NAME` instead
/// of `COLUMNS` and `COLS` (for a second declaration in one module; `NAME.0` is the
/// declaration); `fn $reader(Row)` takes the row by value (no string is copied); and a
/// trailing `rest { field: expr, … }` fills the fields that are not read from the row.
#[macro_export]
#[doc(hidden)]
macro_rules! table_row {
    (
        table $table:literal $(, key $key:ident)?, cols $cols:ident;
        $vis:vis fn $reader:ident $( ( $owned:ident ) )? -> $record:ident {
            $( $field:ident : $how:ident $( ( $parse:expr ) )? $( = $sql:literal )? ),+ $(,)?
        }
        $( rest { $( $xfield:ident : $xval:expr ),* $(,)? } )?
    ) => {
        /// The SELECT list of the declaration; `.0` is the declaration (name, expression).
        const $cols: $crate::db::SelectList = $crate::db::SelectList(&[
            $( (stringify!($field), $crate::table_row!(@sql $field $( $sql )?)) ),+
        ]);

        $crate::table_row!(@fn [$( $owned )?] r, $vis $reader -> $record {
            #[allow(unused_mut)]
            let mut n = $crate::table_row!(@named r, $table, $cols $(, $key)?);
            Ok($record {
                $( $field: n.$how($crate::column!(*$cols.0, stringify!($field)) $( , $parse )? )?, )+
                $( $( $xfield: $xval, )* )?
            })
        });
    };
    (
        table $table:literal $(, key $key:ident)?;
        $vis:vis fn $reader:ident $( ( $owned:ident ) )? -> $record:ident {
            $( $field:ident : $how:ident $( ( $parse:expr ) )? $( = $sql:literal )? ),+ $(,)?
        }
        $( rest { $( $xfield:ident : $xval:expr ),* $(,)? } )?
    ) => {
        $crate::table_row! {
            table $table $(, key $key)?, cols COLS;
            $vis fn $reader $( ( $owned ) )? -> $record {
                $( $field : $how $( ( $parse ) )? $( = $sql )? ),+
            }
            $( rest { $( $xfield : $xval ),* } )?
        }
        /// The declaration of [`COLS`]: each column's name and SELECT expression.
        #[allow(dead_code)]
        const COLUMNS: &$crate::db::Columns = COLS.0;
    };
    (@sql $field:ident) => { stringify!($field) };
    (@sql $field:ident $sql:literal) => { $sql };
    (@named $r:ident, $table:literal, $cols:ident, $key:ident) => {
        $crate::db::Named::new($r, $table, $crate::column!(*$cols.0, stringify!($key)))?
    };
    (@named $r:ident, $table:literal, $cols:ident) => {
        $crate::db::Named::keyless($r, $table)
    };
    (@fn [] $r:ident, $vis:vis $reader:ident -> $record:ident $body:block) => {
        $vis fn $reader($r: &$crate::db::Row) -> $crate::Result<$record> {
            let $r = $r.clone();
            $body
        }
    };
    (@fn [Row] $r:ident, $vis:vis $reader:ident -> $record:ident $body:block) => {
        $vis fn $reader($r: $crate::db::Row) -> $crate::Result<$record> $body
    };
}

#[cfg(test)]
mod tests {
    use crate::StoreError;
    use crate::db::{Row, Value};

    #[derive(Debug, PartialEq)]
    struct Item {
        id: i64,
        kind: String,
        label: Option<String>,
        extra: Vec<i64>,
    }

    crate::table_row! {
        table "items", key id;
        fn item -> Item {
            id: i64 = "i.id",
            kind: checked(|s: &str| (s == "a").then_some(())),
            label: opt_text,
        }
        rest { extra: Vec::new() }
    }

    struct Code {
        code: String,
        n: i64,
    }

    crate::table_row! {
        table "codes", cols CODE_COLS;
        fn code_row(Row) -> Code {
            code: text,
            n: i64,
        }
    }

    fn place(e: StoreError) -> (&'static str, i64, &'static str) {
        match e {
            StoreError::Corrupt {
                table, row, column, ..
            } => (table, row, column),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_declaration_reads_by_name_and_names_what_does_not_read() {
        assert_eq!(COLS.to_string(), "i.id, kind, label");
        assert_eq!(COLUMNS.len(), 3);
        let row = |kind: &str| Row(vec![Value::Int(7), Value::Text(kind.into()), Value::Null]);
        assert_eq!(
            item(&row("a")).unwrap(),
            Item {
                id: 7,
                kind: "a".into(),
                label: None,
                extra: Vec::new()
            }
        );
        assert_eq!(place(item(&row("b")).unwrap_err()), ("items", 7, "kind"));

        assert_eq!(CODE_COLS.to_string(), "code, n");
        let c = code_row(Row(vec![Value::Text("x".into()), Value::Int(2)])).unwrap();
        assert_eq!((c.code.as_str(), c.n), ("x", 2));
        let bad = code_row(Row(vec![
            Value::Text("x".into()),
            Value::Text("two".into()),
        ]));
        assert_eq!(place(bad.err().unwrap()), ("codes", 0, "n"));
    }

    struct Dated {
        id: i64,
        on: chrono::NaiveDate,
        until: Option<chrono::NaiveDate>,
    }

    crate::table_row! {
        table "dated", key id, cols DATED_COLS;
        fn dated(Row) -> Dated {
            id: i64,
            on: date,
            until: opt_date,
        }
    }

    #[test]
    fn a_stored_date_reads_as_chrono_reads_it_and_a_bad_one_is_named() {
        for s in [
            "2022-06-01",
            "2024-02-29",
            "0001-01-01",
            "2023-02-29",
            "2022-13-01",
            "2022-6-1",
            "20220601",
            "2022-06-01 ",
            "2022/06/01",
            "２０２２-06-01",
            "",
        ] {
            assert_eq!(
                super::date_of(s),
                chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
                "{s:?}"
            );
        }
        let row = |on: &str, until: Value| Row(vec![Value::Int(3), Value::Text(on.into()), until]);
        let d = dated(row("2022-06-01", Value::Null)).unwrap();
        assert_eq!(
            (d.id, d.on.to_string(), d.until),
            (3, "2022-06-01".into(), None)
        );
        let d = dated(row("2022-06-01", Value::Text("2022-06-30".into()))).unwrap();
        assert_eq!(d.until.map(|u| u.to_string()), Some("2022-06-30".into()));
        assert_eq!(Value::from(d.on), Value::Text("2022-06-01".into()));
        let bad = dated(row("2022-06-31", Value::Null));
        assert_eq!(place(bad.err().unwrap()), ("dated", 3, "on"));
        let bad = dated(row("2022-06-01", Value::Text("soon".into())));
        assert_eq!(place(bad.err().unwrap()), ("dated", 3, "until"));
    }
}
