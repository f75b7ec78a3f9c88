//! Work records imported from a table (the ledger's columns).

use super::*;
use crate::import::{
    Code, Column, ImportOptions, ImportReport, RowErrors, map_columns, with_code_errors,
};

/// The columns a work-record import reads (those of the ledger, [`WORK_COLUMNS`]), with the
/// other headers accepted for each.
pub static WORK_IMPORT: [Column; 9] = [
    Column::new("item", "工作事项", &["事项", "工作内容"]).required(),
    Column::new("done_on", "日期", &["完成日期", "工作日期"]).required(),
    Column::new("region_code", "区划代码", &["所在区划代码", "所属区划代码"])
        .required()
        .code(Code::Region),
    Column::new("department", "部门", &["责任部门", "所属部门"]),
    Column::new("quantity", "数量", &[]).required(),
    Column::new("unit", "单位", &["计量单位"]),
    Column::new("campaign", "专项行动", &[]),
    Column::new("place", "地点", &["地址"]),
    Column::new("note", "备注", &["说明"]),
];

impl App {
    /// Imports work records from a table (columns of [`WORK_COLUMNS`]; the item by code or
    /// name, the department by name). Every row is validated first; with any bad row
    /// nothing is written unless `skip_invalid`.
    pub fn import_work_records(
        &self,
        caller: &Caller,
        t: &Table,
        opts: ImportOptions,
    ) -> Result<ImportReport> {
        let scope = self.work_scope(caller)?;
        let items = self.store.list_work_item_types()?;
        let departments = self
            .store
            .list_departments(&Scope::system(), self.clock.today())?;
        let map = map_columns(t, &WORK_IMPORT, opts.ignore_columns)?;
        let limits = self.import_limits()?;
        let cell = |cells: &[String], k: &str| -> String { map.get(cells, k) };
        let mut ok = Vec::new();
        let mut bad = RowErrors::new(limits.max_errors);
        for (rownum, cells) in map.rows(t) {
            let codes = map.code_errors(t, *rownum, cells);
            let mut pre = ValidationErrors::new();
            let item = cell(cells, "item");
            let item_code = items
                .iter()
                .find(|x| x.code == item || x.name == item)
                .map(|x| x.code.clone())
                .unwrap_or(item);
            let quantity_text = cell(cells, "quantity").replace(',', "");
            let quantity = match quantity_text.parse::<f64>() {
                Ok(q) if q.fract() == 0.0 && q.is_finite() => q as i64,
                _ => {
                    pre.add("quantity", format!("数量应为整数，实为“{quantity_text}”"));
                    0
                }
            };
            if let Some(unit) = Some(cell(cells, "unit")).filter(|u| !u.is_empty())
                && let Some(x) = items.iter().find(|x| x.code == item_code)
                && x.unit != unit
            {
                pre.add("unit", format!("单位应为“{}”，实为“{unit}”", x.unit));
            }
            let dept = cell(cells, "department");
            let department_id = if dept.is_empty() {
                None
            } else {
                match departments
                    .iter()
                    .find(|d| d.name == dept || d.short_name == dept)
                {
                    Some(d) => Some(d.id),
                    None => {
                        pre.add("department", format!("部门“{dept}”不存在"));
                        None
                    }
                }
            };
            let input = WorkRecordInput {
                item_code,
                region_code: cell(cells, "region_code"),
                department_id,
                sector: None,
                enterprise_id: None,
                done_on: cell(cells, "done_on"),
                quantity,
                campaign: Some(cell(cells, "campaign")),
                place: cell(cells, "place"),
                note: cell(cells, "note"),
            };
            let mut errors = match self.validate_work(caller, &items, &input)? {
                Ok(w) if pre.is_empty() && codes.is_empty() => {
                    ok.push(w);
                    continue;
                }
                Ok(_) => ValidationErrors::new(),
                Err(e) => e,
            };
            for (f, m) in pre.fields {
                for msg in m {
                    errors.add(&f, msg);
                }
            }
            let errors = with_code_errors(errors, codes);
            bad.push(*rownum, || {
                errors
                    .fields
                    .iter()
                    .flat_map(|(f, m)| {
                        let label = match f.as_str() {
                            "item_code" => "工作事项",
                            "department_id" => "部门",
                            other => WORK_COLUMNS
                                .iter()
                                .find(|(k, _)| *k == other)
                                .map(|(_, l)| *l)
                                .unwrap_or("其他"),
                        };
                        m.iter().map(move |m| format!("{label}：{m}"))
                    })
                    .collect()
            });
        }
        ImportReport::finish(map.total(t), ok, bad, &map, opts.skip_invalid, |ok| {
            Ok(self
                .store
                .create_work_records(&caller.change(&scope, self), &ok)?)
        })
    }
}
