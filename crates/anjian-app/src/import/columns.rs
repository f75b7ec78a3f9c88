//! Column mapping: every header of a file is mapped to a field (by its name or one of the
//! import's synonyms) or reported; a header below title rows is found; a two-level
//! (merged) header is refused; a code stored as a number is not trusted.

use super::*;

/// What a code column holds, for the check of cells a spreadsheet stored as numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Uscc,
    IdNumber,
    Phone,
    Region,
    Licence,
}

impl Code {
    /// Digit counts a code of this kind may have when stored as a number and still be
    /// exact (Excel keeps 15 significant digits): none for codes with letters or 18 digits.
    fn numeric_lengths(self) -> &'static [usize] {
        match self {
            Code::Phone => &[7, 8, 11],
            Code::Region => &[6, 9, 12],
            Code::Uscc | Code::IdNumber | Code::Licence => &[],
        }
    }
}

/// The message for a code cell a spreadsheet stored as a number.
pub const NUMERIC_CODE_MESSAGE: &str = "该单元格为数值格式，请将该列设为文本后重新输入";

/// One column an import reads: its field key, its standard header, the other headers
/// accepted for it, whether the file must have it, and whether it holds a code.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub key: &'static str,
    pub label: &'static str,
    pub synonyms: &'static [&'static str],
    pub required: bool,
    pub code: Option<Code>,
}

impl Column {
    pub const fn new(
        key: &'static str,
        label: &'static str,
        synonyms: &'static [&'static str],
    ) -> Self {
        Self {
            key,
            label,
            synonyms,
            required: false,
            code: None,
        }
    }

    pub const fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub const fn code(mut self, code: Code) -> Self {
        self.code = Some(code);
        self
    }
}

/// Headers that carry nothing to import, accepted in every import and reported as ignored.
const IGNORABLE: [&str; 1] = ["序号"];
/// Words of a second header row under a merged group header.
const SUB_HEADERS: [&str; 9] = [
    "姓名",
    "电话",
    "联系电话",
    "手机",
    "手机号码",
    "名称",
    "代码",
    "身份证号",
    "职务",
];
/// How many rows below the first one a header is looked for (below title rows).
const HEADER_SEARCH_ROWS: usize = 9;

/// A header as compared: no spaces, no marks of a required column, ASCII parentheses,
/// ASCII in lower case.
fn normalize(h: &str) -> String {
    h.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '＊'))
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// See [`Mapping::data_rows`].
pub struct DataRows<F> {
    /// Rows still to pass over.
    left: usize,
    each: F,
}

impl<F: FnMut(usize, Vec<String>, &[usize]) -> Result<()>> RowSink for DataRows<F> {
    fn row(&mut self, row: usize, cells: Vec<String>, numeric: &[usize]) -> Result<()> {
        if self.left > 0 {
            self.left -= 1;
            return Ok(());
        }
        (self.each)(row, cells, numeric)
    }
}

/// How a file's columns map onto an import's fields.
#[derive(Debug, Clone)]
pub struct Mapping {
    spec: &'static [Column],
    idx: Vec<Option<usize>>,
    /// Leading entries of `Table::rows` that are the header or title rows above it.
    pub skip: usize,
    /// The row number of the header.
    pub header_row: usize,
    /// Columns not imported (unrecognised and confirmed, empty, or 序号), as “name（K列）”.
    pub ignored: Vec<String>,
}

impl Mapping {
    /// A sink for a scan of the mapped file that hands on its data rows only: the title rows
    /// above the header (`skip`) and the header itself are passed over.
    pub fn data_rows<F>(&self, each: F) -> DataRows<F>
    where
        F: FnMut(usize, Vec<String>, &[usize]) -> Result<()>,
    {
        DataRows {
            left: self.skip + 1,
            each,
        }
    }

    pub fn index(&self, key: &str) -> Option<usize> {
        self.spec
            .iter()
            .position(|c| c.key == key)
            .and_then(|j| self.idx.get(j).copied().flatten())
    }

    pub fn has(&self, key: &str) -> bool {
        self.index(key).is_some()
    }

    /// The trimmed text of the field in a row ("" when the file has no such column).
    pub fn get(&self, cells: &[String], key: &str) -> String {
        self.index(key)
            .and_then(|i| cells.get(i))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    }

    /// The standard header of a field (the key itself for a field of no column).
    pub fn label<'a>(&self, key: &'a str) -> &'a str {
        self.spec
            .iter()
            .find(|c| c.key == key)
            .map(|c| c.label)
            .unwrap_or(key)
    }

    /// The data rows, below the header.
    pub fn rows<'t>(&self, t: &'t Table) -> impl Iterator<Item = &'t (usize, Vec<String>)> {
        t.rows.iter().skip(self.skip)
    }

    pub fn total(&self, t: &Table) -> usize {
        t.rows.len().saturating_sub(self.skip)
    }

    /// The data rows of a table of this shape.
    pub fn total_of(&self, t: &TableShape) -> usize {
        t.rows.saturating_sub(self.skip)
    }

    /// Code cells that cannot be trusted: stored as numbers (unless exact and of a right
    /// length), or written in scientific notation by a spreadsheet.
    pub fn code_errors(&self, t: &Table, row: usize, cells: &[String]) -> ValidationErrors {
        self.code_errors_with(&|i| t.is_numeric(row, i), cells)
    }

    /// [`Mapping::code_errors`] of a row read as it goes by: `numeric(i)` says whether its
    /// column `i` held a number in the spreadsheet.
    pub fn code_errors_with(
        &self,
        numeric: &dyn Fn(usize) -> bool,
        cells: &[String],
    ) -> ValidationErrors {
        let mut e = ValidationErrors::new();
        for (col, i) in self.spec.iter().zip(&self.idx) {
            let (Some(kind), Some(i)) = (col.code, *i) else {
                continue;
            };
            let v = cells.get(i).map(|s| s.trim()).unwrap_or_default();
            if v.is_empty() {
                continue;
            }
            if (numeric(i) && !exact_fit(kind, v)) || scientific(v) {
                e.add(col.key, NUMERIC_CODE_MESSAGE);
            }
        }
        e
    }
}

/// A code stored as a number is kept when its digits are all there: at most 15 digits
/// and a length the code may have (a mobile number starts with 1).
fn exact_fit(kind: Code, v: &str) -> bool {
    v.bytes().all(|b| b.is_ascii_digit())
        && v.len() <= 15
        && kind.numeric_lengths().contains(&v.len())
        && !(kind == Code::Phone && v.len() == 11 && !v.starts_with('1'))
}

fn scientific(v: &str) -> bool {
    let u = v.to_ascii_uppercase();
    match u.split_once("E+") {
        Some((m, e)) => {
            !m.is_empty()
                && m.chars().all(|c| c.is_ascii_digit() || c == '.')
                && !e.is_empty()
                && e.chars().all(|c| c.is_ascii_digit())
        }
        None => false,
    }
}

/// The code errors replace what validation said of those fields (a check-digit message
/// about a number that lost its digits misleads).
pub fn with_code_errors(mut errors: ValidationErrors, codes: ValidationErrors) -> ValidationErrors {
    for (f, m) in codes.fields {
        errors.fields.insert(f, m);
    }
    errors
}

fn named(header: &str, col: usize) -> String {
    if header.trim().is_empty() {
        format!("（无列名，{}列）", column_letter(col))
    } else {
        format!("{}（{}列）", header.trim(), column_letter(col))
    }
}

/// What the column mapping needs of a table, gathered as its rows go by without keeping
/// them: the first row, the few rows below it where a header may be, and for every
/// column the last row with something in it.
#[derive(Debug, Clone, Default)]
pub struct TableShape {
    pub header_row: usize,
    pub headers: Vec<String>,
    /// The first rows below the first one (where a header below title rows may be, and
    /// the row under it).
    pub head: Vec<(usize, Vec<String>)>,
    /// Per column, the index (among the rows below the first) of the last row with a
    /// non-empty cell in it.
    last_filled: Vec<Option<usize>>,
    /// The widest row beyond `head`.
    tail_width: usize,
    /// Rows below the first.
    pub rows: usize,
    header_seen: bool,
}

impl TableShape {
    pub fn of(t: &Table) -> Self {
        let mut s = TableShape {
            header_row: t.header_row,
            headers: t.headers.clone(),
            header_seen: true,
            ..Default::default()
        };
        for (row, cells) in &t.rows {
            s.add(*row, cells);
        }
        s
    }

    fn add(&mut self, row: usize, cells: &[String]) {
        let i = self.rows;
        self.rows += 1;
        for (c, v) in cells.iter().enumerate() {
            if !v.trim().is_empty() {
                if self.last_filled.len() <= c {
                    self.last_filled.resize(c + 1, None);
                }
                if let Some(slot) = self.last_filled.get_mut(c) {
                    *slot = Some(i);
                }
            }
        }
        if i <= HEADER_SEARCH_ROWS {
            self.head.push((row, cells.to_vec()));
        } else {
            self.tail_width = self.tail_width.max(cells.len());
        }
    }

    /// Whether column `col` has a non-empty cell in a row at index `from` or below.
    fn filled_from(&self, col: usize, from: usize) -> bool {
        self.last_filled
            .get(col)
            .copied()
            .flatten()
            .is_some_and(|last| last >= from)
    }

    /// The widest row at index `from` or below.
    fn width_from(&self, from: usize) -> usize {
        self.head
            .iter()
            .skip(from)
            .map(|(_, c)| c.len())
            .max()
            .unwrap_or(0)
            .max(self.tail_width)
    }
}

impl RowSink for TableShape {
    fn row(&mut self, row: usize, cells: Vec<String>, _numeric: &[usize]) -> Result<()> {
        if !self.header_seen {
            self.header_seen = true;
            self.header_row = row;
            self.headers = cells;
        } else {
            self.add(row, &cells);
        }
        Ok(())
    }
}

/// Maps the table's header onto `spec`: [`map_shape`] of the table's shape.
pub fn map_columns(t: &Table, spec: &'static [Column], ignore_columns: bool) -> Result<Mapping> {
    map_shape(&TableShape::of(t), spec, ignore_columns)
}

/// Maps the table's header onto `spec`. The header is the first row, or the first of the
/// rows just below it that has every required column when the rows above it are title
/// rows (one cell each). Unrecognised columns with data refuse the file unless
/// `ignore_columns`; a second header row above or below refuses it.
pub fn map_shape(t: &TableShape, spec: &'static [Column], ignore_columns: bool) -> Result<Mapping> {
    let names: Vec<(usize, String)> = spec
        .iter()
        .enumerate()
        .flat_map(|(j, c)| {
            [c.key, c.label]
                .into_iter()
                .chain(c.synonyms.iter().copied())
                .map(move |n| (j, normalize(n)))
        })
        .collect();
    let find = |h: &str| -> Option<usize> {
        let n = normalize(h);
        names
            .iter()
            .find(|(_, x)| !n.is_empty() && *x == n)
            .map(|(j, _)| *j)
    };
    let candidates: Vec<(usize, &[String])> = std::iter::once((t.header_row, t.headers.as_slice()))
        .chain(
            t.head
                .iter()
                .take(HEADER_SEARCH_ROWS)
                .map(|(r, c)| (*r, c.as_slice())),
        )
        .collect();
    let fits = |cells: &[String]| {
        let found: HashSet<usize> = cells.iter().filter_map(|h| find(h)).collect();
        !found.is_empty()
            && spec
                .iter()
                .enumerate()
                .all(|(j, c)| !c.required || found.contains(&j))
    };
    let Some(k) = candidates.iter().position(|(_, c)| fits(c)) else {
        let found: HashSet<usize> = t.headers.iter().filter_map(|h| find(h)).collect();
        let missing: Vec<&str> = spec
            .iter()
            .enumerate()
            .filter(|(j, c)| c.required && !found.contains(j))
            .map(|(_, c)| c.label)
            .collect();
        return Err(Refusal::columns(
            "import_missing_columns",
            format!(
                "文件缺少必需的列：{}。表头应在第1行（其上只可有标题行），每列一个列名",
                missing.join("、")
            ),
            missing.iter().map(|s| s.to_string()).collect(),
        ));
    };
    let (header_row, header) = candidates.get(k).copied().unwrap_or((t.header_row, &[]));
    let non_empty = |c: &[String]| c.iter().filter(|s| !s.trim().is_empty()).count();
    let two_level = |a: usize, b: usize| {
        Refusal::columns(
            "import_header_two_level",
            format!(
                "第{a}行和第{b}行像是两级（合并单元格）表头，无法确定每列的含义：请只保留一行表头（每列一个列名，不要合并单元格）后重新导入"
            ),
            Vec::new(),
        )
    };
    // Rows above the header are title rows: one cell each.
    if let Some((r, _)) = candidates.iter().take(k).find(|(_, c)| non_empty(c) > 1) {
        return Err(two_level(*r, header_row));
    }
    // A row under the header made of column names is the second level of a merged header.
    if let Some((r, cells)) = t.head.get(k) {
        let header_like = cells
            .iter()
            .filter(|s| {
                let n = normalize(s);
                !n.is_empty()
                    && (find(s).is_some() || SUB_HEADERS.iter().any(|w| normalize(w) == n))
            })
            .count();
        if header_like >= 2 {
            return Err(two_level(header_row, *r));
        }
    }
    let width = t.width_from(k).max(header.len());
    let mut idx: Vec<Option<usize>> = vec![None; spec.len()];
    let (mut ignored, mut unmapped) = (Vec::new(), Vec::new());
    for i in 0..width {
        let h = header.get(i).map(String::as_str).unwrap_or_default();
        let has_data = t.filled_from(i, k);
        match find(h) {
            Some(j) => match idx.get(j).copied().flatten() {
                Some(first) => {
                    let label = spec.get(j).map(|c| c.label).unwrap_or_default();
                    let a = named(
                        header.get(first).map(String::as_str).unwrap_or_default(),
                        first,
                    );
                    return Err(Refusal::columns(
                        "import_duplicate_columns",
                        format!(
                            "{a}和{}都对应“{label}”，请删去其中一列后重新导入",
                            named(h, i)
                        ),
                        vec![a, named(h, i)],
                    ));
                }
                None => {
                    if let Some(slot) = idx.get_mut(j) {
                        *slot = Some(i);
                    }
                }
            },
            None if h.trim().is_empty() && !has_data => {}
            None if !has_data || IGNORABLE.contains(&normalize(h).as_str()) => {
                ignored.push(named(h, i))
            }
            None => unmapped.push(named(h, i)),
        }
    }
    if !unmapped.is_empty() && !ignore_columns {
        let labels: Vec<&str> = spec.iter().map(|c| c.label).collect();
        return Err(Refusal::columns(
            "import_unmapped_columns",
            format!(
                "以下列未能识别，不会导入：{}。请把列名改为本导入可用的列名（{}），或确认忽略这些列后重新导入（页面上勾选“忽略未识别的列”，API 参数 ignore_columns=true，命令行 --ignore-columns）",
                unmapped.join("、"),
                labels.join("、")
            ),
            unmapped,
        ));
    }
    ignored.extend(unmapped);
    Ok(Mapping {
        spec,
        idx,
        skip: k,
        header_row,
        ignored,
    })
}
