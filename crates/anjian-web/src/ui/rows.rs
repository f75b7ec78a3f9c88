//! Forms with a table of rows (a plan's lines and key enterprises, a commission's items).
//!
//! Each row has one input per column, and every column's inputs share one name
//! (`{table}.{column}`), so the i-th value of each name is row i, blank cells included
//! (`FormPairs::column`). A row left blank is no row. A message about a cell is keyed
//! `{table}[{i}].{column}` by the row's place on the page and names the row and the column in
//! words ("计划第3行的月份…"), so the page marks the cell and the summary says where. Rows are
//! added and removed by the form's own buttons (`_rows` = the table, `_drop` = `{table}.{i}`),
//! which bring the page back with the rows as typed and nothing saved: the form works without
//! script, and `static/app.js` does the same in place.

use super::FieldErrors;
use crate::extract::FormPairs;

/// One table of a form.
pub(crate) struct Table {
    /// The inputs' name prefix and the messages' key prefix.
    pub name: &'static str,
    /// What the rows are called in messages (`计划` → 计划第3行).
    pub caption: &'static str,
    /// Each column's name and its label in words.
    pub columns: &'static [(&'static str, &'static str)],
}

/// A row that was filled in: its place on the page and its cells, column by column.
pub(crate) struct Row {
    pub index: usize,
    pub cells: Vec<String>,
}

impl Row {
    /// The cell of column `n` (in the table's order).
    pub fn cell(&self, n: usize) -> &str {
        self.cells.get(n).map(String::as_str).unwrap_or_default()
    }
}

impl Table {
    /// The name of a column's inputs.
    pub fn input(&self, col: &str) -> String {
        format!("{}.{col}", self.name)
    }

    /// The key of a cell's messages.
    pub fn key(&self, i: usize, col: &str) -> String {
        format!("{}[{i}].{col}", self.name)
    }

    fn label(&self, col: &str) -> &'static str {
        self.columns
            .iter()
            .find(|(c, _)| *c == col)
            .map(|(_, l)| *l)
            .unwrap_or_default()
    }

    /// Where row `i` is, in words.
    pub fn place_of(&self, i: usize) -> String {
        format!("{}第{}行", self.caption, i + 1)
    }

    /// The rows filled in, in page order.
    pub fn filled(&self, form: &FormPairs) -> Vec<Row> {
        let cols: Vec<Vec<String>> = self
            .columns
            .iter()
            .map(|(c, _)| form.column(&self.input(c)))
            .collect();
        let n = cols.iter().map(Vec::len).max().unwrap_or(0);
        (0..n)
            .map(|i| Row {
                index: i,
                cells: cols
                    .iter()
                    .map(|c| c.get(i).cloned().unwrap_or_default())
                    .collect(),
            })
            .filter(|r| r.cells.iter().any(|c| !c.is_empty()))
            .collect()
    }

    /// Refuses cell (`i`, `col`): `what` follows the row and the column's label
    /// ("应为1至12" → "计划第3行的月份应为1至12").
    pub fn refuse(&self, e: &mut FieldErrors, i: usize, col: &str, what: &str) {
        e.add(
            &self.key(i, col),
            format!("{}的{}{what}", self.place_of(i), self.label(col)),
        );
    }

    /// The use case's messages about this table's rows (`{name}[k]…`, `k` counting the rows
    /// sent, which were `rows` on the page) moved to the rows' places and named in words; a
    /// message about a whole row goes to its first column. Other messages stay as they are.
    pub fn place(&self, e: FieldErrors, rows: &[usize]) -> FieldErrors {
        let mut out = FieldErrors::default();
        let first = self.columns.first().map(|(c, _)| *c).unwrap_or_default();
        for (key, msgs) in e.0 {
            let at = key
                .strip_prefix(self.name)
                .and_then(|r| r.strip_prefix('['))
                .and_then(|r| r.split_once(']'))
                .and_then(|(k, rest)| {
                    let i = *rows.get(k.parse::<usize>().ok()?)?;
                    let col = rest.strip_prefix('.').unwrap_or(first);
                    Some((i, col.to_string()))
                });
            match at {
                Some((i, col)) => {
                    for m in msgs {
                        out.add(&self.key(i, &col), format!("{}：{m}", self.place_of(i)));
                    }
                }
                None => {
                    for m in msgs {
                        out.add(&key, m);
                    }
                }
            }
        }
        out
    }
}

/// When the user asked for a row more (`_rows`) or one less (`_drop`) rather than saving: the
/// form as typed with that change, to show again. `None` for a save.
pub(crate) fn edit(form: &FormPairs, tables: &[&Table]) -> Option<FormPairs> {
    let add = form.get("_rows");
    let drop = form.get("_drop");
    if add.is_empty() && drop.is_empty() {
        return None;
    }
    let mut pairs: Vec<(String, String)> = form
        .0
        .iter()
        .filter(|(k, _)| k != "_rows" && k != "_drop")
        .cloned()
        .collect();
    if let Some(t) = tables.iter().find(|t| t.name == add) {
        for (c, _) in t.columns {
            pairs.push((t.input(c), String::new()));
        }
    }
    let target = drop.rsplit_once('.').and_then(|(name, i)| {
        Some((
            tables.iter().find(|t| t.name == name)?,
            i.parse::<usize>().ok()?,
        ))
    });
    if let Some((t, i)) = target {
        let inputs: Vec<String> = t.columns.iter().map(|(c, _)| t.input(c)).collect();
        let mut seen = vec![0usize; inputs.len()];
        pairs.retain(|(k, _)| match inputs.iter().position(|x| x == k) {
            Some(c) => {
                let n = seen[c];
                seen[c] += 1;
                n != i
            }
            None => true,
        });
    }
    Some(FormPairs(pairs))
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Table = Table {
        name: "lines",
        caption: "计划",
        columns: &[("sector", "行业领域"), ("month", "月份")],
    };

    fn form(pairs: &[(&str, &str)]) -> FormPairs {
        FormPairs(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn blank_rows_are_no_rows_and_messages_name_the_row_on_the_page() {
        let f = form(&[
            ("lines.sector", ""),
            ("lines.month", ""),
            ("lines.sector", "fire"),
            ("lines.month", "13"),
        ]);
        let rows = T.filled(&f);
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].index, rows[0].cell(1)), (1, "13"));
        let mut e = FieldErrors::default();
        T.refuse(&mut e, 1, "month", "应为1至12");
        assert_eq!(e.err("lines[1].month"), "计划第2行的月份应为1至12");
        // The use case counted the rows it was given: its first is the page's second.
        let mut app = FieldErrors::default();
        app.add("lines[0].sector", "不是本部门负责的行业领域");
        app.add("lines[0]", "整行不对");
        app.add("title", "请填写计划名称");
        let placed = T.place(app, &[1]);
        assert_eq!(
            placed.err("lines[1].sector"),
            "计划第2行：整行不对；计划第2行：不是本部门负责的行业领域"
        );
        assert_eq!(placed.err("title"), "请填写计划名称");
    }

    #[test]
    fn rows_are_added_and_dropped_without_saving() {
        let f = form(&[
            ("title", "计划"),
            ("lines.sector", "a"),
            ("lines.month", "1"),
            ("lines.sector", "b"),
            ("lines.month", "2"),
            ("_drop", "lines.0"),
        ]);
        let Some(e) = edit(&f, &[&T]) else {
            panic!("a drop is not a save")
        };
        assert_eq!(e.column("lines.sector"), vec!["b"]);
        assert_eq!(e.column("lines.month"), vec!["2"]);
        assert_eq!(e.get("title"), "计划");
        let f = form(&[
            ("lines.sector", "a"),
            ("lines.month", "1"),
            ("_rows", "lines"),
        ]);
        let Some(e) = edit(&f, &[&T]) else {
            panic!("an added row is not a save")
        };
        assert_eq!(e.column("lines.month"), vec!["1", ""]);
        assert!(edit(&form(&[("lines.sector", "a")]), &[&T]).is_none());
    }
}
