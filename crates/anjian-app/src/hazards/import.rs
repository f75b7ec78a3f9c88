//! The hazard import: a spreadsheet of hazards validated row by row before anything is written.

use super::*;

/// Columns of a hazard import (Chinese headers; the codes work too). Levels, sources and
/// sectors may be given by code or by their Chinese names; the enterprise by its USCC.
pub const HAZARD_IMPORT_COLUMNS: [(&str, &str); 14] = [
    ("region_code", "所在区划代码"),
    ("sector", "行业领域"),
    ("level", "隐患等级"),
    ("source", "隐患来源"),
    ("description", "隐患描述"),
    ("found_on", "发现日期"),
    ("deadline", "整改期限"),
    ("uscc", "企业统一社会信用代码"),
    ("location", "隐患部位"),
    ("responsible_unit", "整改责任单位"),
    ("responsible_person", "整改责任人"),
    ("measures", "整改措施"),
    ("funds_planned", "整改资金（元）"),
    ("campaign", "专项行动"),
];

pub(super) fn label_of(k: &str) -> &str {
    HAZARD_IMPORT_COLUMNS
        .iter()
        .find(|(key, _)| *key == k)
        .map(|(_, l)| *l)
        .unwrap_or(k)
}

impl App {
    /// Imports hazards from a table: every row is validated like a registration (region,
    /// sector, level, source, dates, enterprise, campaign, the caller's scope); each bad
    /// row is reported with its number; with any bad row nothing is written unless
    /// `skip_invalid`. The valid rows are written in one transaction.
    pub fn import_hazards(
        &self,
        caller: &Caller,
        t: &crate::import::Table,
        skip_invalid: bool,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<crate::import::ImportReport> {
        let scope = self.require_hazard_writer(caller)?;
        let col = |k: &str| {
            let mut names = vec![k, label_of(k)];
            match k {
                "level" => names.push("等级"),
                "source" => names.push("来源"),
                "region_code" => names.push("区划代码"),
                _ => {}
            }
            t.col(&names)
        };
        let missing: Vec<&str> = [
            "region_code",
            "sector",
            "level",
            "source",
            "description",
            "found_on",
        ]
        .into_iter()
        .filter(|k| col(k).is_none())
        .map(label_of)
        .collect();
        if !missing.is_empty() {
            return Err(AppError::BadRequest(format!(
                "缺少必填列：{}",
                missing.join("、")
            )));
        }
        let lookups = self.hazard_lookups(true)?;
        let sectors = &lookups.sectors;
        let cell = |cells: &[String], k: &str| -> String {
            col(k)
                .and_then(|i| cells.get(i))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        let opt = |s: String| Some(s).filter(|x| !x.is_empty());
        let mut ok = Vec::new();
        let mut bad = Vec::new();
        for (rownum, cells) in &t.rows {
            let mut pre = ValidationErrors::new();
            let sector_text = cell(cells, "sector");
            let sector = sectors
                .iter()
                .find(|s| s.code == sector_text || s.name == sector_text)
                .map(|s| s.code.clone())
                .unwrap_or(sector_text);
            let level = match cell(cells, "level").as_str() {
                "一般隐患" => "general".to_string(),
                "重大隐患" => "major".to_string(),
                other => other.to_string(),
            };
            let enterprise_id = match opt(cell(cells, "uscc")) {
                None => None,
                Some(u) => match self.store.enterprise_id_by_uscc(&u.to_uppercase())? {
                    Some(id) => Some(id),
                    None => {
                        pre.add("uscc", format!("统一社会信用代码“{u}”未在企业库中登记"));
                        None
                    }
                },
            };
            let funds_text = cell(cells, "funds_planned").replace(',', "");
            let funds_planned = if funds_text.is_empty() {
                None
            } else {
                match funds_text.parse::<f64>() {
                    Ok(v) if v.is_finite() && v >= 0.0 && v.fract() == 0.0 => Some(v as i64),
                    _ => {
                        pre.add(
                            "funds_planned",
                            format!("应为不小于0的整数（元），实为“{funds_text}”"),
                        );
                        None
                    }
                }
            };
            let campaign = opt(cell(cells, "campaign"));
            let region_code = cell(cells, "region_code");
            let input = HazardInput {
                enterprise_id,
                region_code,
                sector,
                level,
                source: cell(cells, "source"),
                description: cell(cells, "description"),
                found_on: cell(cells, "found_on"),
                deadline: opt(cell(cells, "deadline")),
                location: opt(cell(cells, "location")),
                responsible_unit: opt(cell(cells, "responsible_unit")),
                responsible_person: opt(cell(cells, "responsible_person")),
                measures: opt(cell(cells, "measures")),
                funds_planned,
                campaign,
                ..HazardInput::default()
            };
            let mut errors = match self.validate_hazard_with(caller, &input, &lookups) {
                Ok(f) if pre.is_empty() => {
                    if scope.admits(&f.region_code, &[f.sector.as_str()], f.enterprise_id) {
                        ok.push(f);
                        continue;
                    }
                    ValidationErrors::single(
                        "region_code",
                        "该隐患的区划、行业领域或企业不在您的管辖范围内",
                    )
                }
                Ok(_) => ValidationErrors::new(),
                Err(AppError::Validation(v)) => v,
                Err(e) => return Err(e),
            };
            for (f, msgs) in pre.fields {
                for m in msgs {
                    errors.add(&f, m);
                }
            }
            bad.push(crate::import::RowError {
                row: *rownum,
                errors: errors
                    .fields
                    .iter()
                    .flat_map(|(f, m)| {
                        let label = if f == "enterprise_id" {
                            "企业"
                        } else {
                            label_of(f)
                        };
                        m.iter().map(move |m| format!("{label}：{m}"))
                    })
                    .collect(),
            });
        }
        let ev = EventInput {
            action: "create".into(),
            note: "批量导入".into(),
            data: None,
        };
        crate::import::ImportReport::finish(t.rows.len(), ok, bad, skip_invalid, |ok| {
            let total = ok.len();
            Ok(self
                .store
                .create_hazards(&caller.change(&scope, self), &ok, &ev, |n| {
                    progress(n, total)
                })?
                .len())
        })
    }
}
