//! Work records imported from a table (the ledger's columns).

use super::*;

impl App {
    /// Imports work records from a table (columns of [`WORK_COLUMNS`]; the item by code or
    /// name, the department by name). Every row is validated first; with any bad row
    /// nothing is written unless `skip_invalid`.
    pub fn import_work_records(
        &self,
        caller: &Caller,
        t: &Table,
        skip_invalid: bool,
    ) -> Result<crate::import::ImportReport> {
        let scope = self.work_scope(caller)?;
        let items = self.store.list_work_item_types()?;
        let departments = self.store.list_departments(&Scope::system())?;
        let col = |k: &str| {
            let label = WORK_COLUMNS
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, l)| *l)
                .unwrap_or(k);
            t.col(&[k, label])
        };
        let missing: Vec<&str> = ["item", "done_on", "region_code", "quantity"]
            .into_iter()
            .filter(|k| col(k).is_none())
            .map(|k| {
                WORK_COLUMNS
                    .iter()
                    .find(|(key, _)| *key == k)
                    .map(|(_, l)| *l)
                    .unwrap_or(k)
            })
            .collect();
        if !missing.is_empty() {
            return Err(AppError::BadRequest(format!(
                "缺少必填列：{}",
                missing.join("、")
            )));
        }
        let cell = |cells: &[String], k: &str| -> String {
            col(k)
                .and_then(|i| cells.get(i))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        let mut ok = Vec::new();
        let mut bad = Vec::new();
        for (rownum, cells) in &t.rows {
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
                Ok(w) if pre.is_empty() => {
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
            bad.push(RowError {
                row: *rownum,
                errors: errors
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
                    .collect(),
            });
        }
        crate::import::ImportReport::finish(t.rows.len(), ok, bad, skip_invalid, |ok| {
            Ok(self
                .store
                .create_work_records(&caller.change(&scope, self), &ok)?)
        })
    }
}
