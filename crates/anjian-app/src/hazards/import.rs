//! The hazard import: a spreadsheet of hazards validated row by row before anything is written.

use super::*;
use crate::import::{
    Code, Column, ImportOptions, ImportReport, RowErrors, Table, map_columns, with_code_errors,
};

/// The columns a hazard import reads (Chinese headers; the codes work too), with the other
/// headers accepted for each. Levels, sources and sectors may be given by code or by their
/// Chinese names; the enterprise by its USCC.
pub static HAZARD_IMPORT: [Column; 14] = [
    Column::new(
        "region_code",
        "所在区划代码",
        &["区划代码", "所属区划代码", "行政区划代码"],
    )
    .required()
    .code(Code::Region),
    Column::new("sector", "行业领域", &["行业"]).required(),
    Column::new("level", "隐患等级", &["等级"]).required(),
    Column::new("source", "隐患来源", &["来源"]).required(),
    Column::new(
        "description",
        "隐患描述",
        &["隐患内容", "隐患情况", "存在问题", "问题描述"],
    )
    .required(),
    Column::new(
        "found_on",
        "发现日期",
        &["检查日期", "排查日期", "发现时间"],
    )
    .required(),
    Column::new("deadline", "整改期限", &["整改时限", "整改期限日期"]),
    Column::new(
        "uscc",
        "企业统一社会信用代码",
        &["统一社会信用代码", "社会信用代码", "信用代码"],
    )
    .code(Code::Uscc),
    Column::new("location", "隐患部位", &["部位", "隐患位置"]),
    Column::new("responsible_unit", "整改责任单位", &["责任单位"]),
    Column::new("responsible_person", "整改责任人", &["责任人"]),
    Column::new("measures", "整改措施", &["措施"]),
    Column::new(
        "funds_planned",
        "整改资金（元）",
        &["整改资金", "资金（元）"],
    ),
    Column::new("campaign", "专项行动", &[]),
];

pub(super) fn label_of(k: &str) -> &str {
    HAZARD_IMPORT
        .iter()
        .find(|c| c.key == k)
        .map(|c| c.label)
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
        t: &Table,
        opts: ImportOptions,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportReport> {
        let scope = self.require_hazard_writer(caller)?;
        let map = map_columns(t, &HAZARD_IMPORT, opts.ignore_columns)?;
        let limits = self.import_limits()?;
        let lookups = self.hazard_lookups(true)?;
        let sectors = &lookups.sectors;
        let cell = |cells: &[String], k: &str| -> String { map.get(cells, k) };
        let opt = |s: String| Some(s).filter(|x| !x.is_empty());
        let mut ok = Vec::new();
        let mut bad = RowErrors::new(limits.max_errors);
        for (rownum, cells) in map.rows(t) {
            let codes = map.code_errors(t, *rownum, cells);
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
                lng: None,
                lat: None,
                // A ledger imported records hazards as they were: deadlines already past are
                // its ordinary content, confirmed by importing it.
                confirm_past_deadline: true,
                ..HazardInput::default()
            };
            let mut errors = match self.validate_hazard_with(caller, &input, &lookups) {
                Ok(f) if pre.is_empty() && codes.is_empty() => {
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
            let errors = with_code_errors(errors, codes);
            bad.push(*rownum, || {
                errors
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
                    .collect()
            });
        }
        let ev = EventInput {
            action: "create".into(),
            note: "批量导入".into(),
            data: None,
        };
        ImportReport::finish(map.total(t), ok, bad, &map, opts.skip_invalid, |ok| {
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
