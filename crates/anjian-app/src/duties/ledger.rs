//! 职责清单台账 as Excel, and its import (the same columns): one row per duty item.

use super::*;
use crate::import::{Column, ImportOptions, ImportReport, RowErrors, Table, map_columns};

/// The columns of the ledger and of its import, with the other headers accepted.
pub static DUTY_IMPORT: [Column; 9] = [
    Column::new("department", "部门", &["成员单位", "责任部门", "单位"]).required(),
    Column::new("content", "职责内容", &["职责", "内容"]).required(),
    Column::new("doc_kind", "文件类别", &["依据类别", "类别"]).required(),
    Column::new("doc_title", "文件名称", &["依据文件", "文件"]),
    Column::new("doc_no", "文号", &["文件文号", "决定文号"]),
    Column::new("decided_on", "决定日期", &["印发日期", "发文日期"]),
    Column::new("sector", "行业领域", &["监管行业", "行业"]),
    Column::new("valid_from", "起始日期", &["生效日期", "开始日期"]).required(),
    Column::new("valid_to", "终止日期", &["失效日期", "结束日期"]),
];

impl App {
    /// 职责清单台账: every duty item of the county (or those in force on `as_of`), in the
    /// import's columns.
    pub fn duties_ledger(&self, caller: &Caller, as_of: Option<&str>) -> Result<Vec<u8>> {
        let list = self.duties(
            caller,
            &DutyQuery {
                as_of: as_of.map(str::to_string),
                ..Default::default()
            },
        )?;
        let headers: Vec<&str> = DUTY_IMPORT.iter().map(|c| c.label).collect();
        let widths = [24.0, 60.0, 12.0, 36.0, 22.0, 12.0, 16.0, 12.0, 12.0];
        let rows: Vec<Vec<String>> = list
            .into_iter()
            .map(|v| {
                let i = v.item;
                vec![
                    v.department_name,
                    i.content,
                    v.doc_kind_label,
                    i.doc_title,
                    i.doc_no,
                    i.decided_on.map(|d| d.to_string()).unwrap_or_default(),
                    v.sector_name.unwrap_or_default(),
                    i.valid_from.to_string(),
                    i.valid_to.map(|d| d.to_string()).unwrap_or_default(),
                ]
            })
            .collect();
        crate::export::render(
            crate::export::ExportFormat::Xlsx,
            "职责清单台账",
            &headers,
            &widths,
            &rows,
        )
    }

    /// Imports duty items (安委办): the department by its name or short name, the sector by
    /// name or code, each row checked like the form; with any bad row nothing is written
    /// unless `skip_invalid`.
    pub fn import_duties(
        &self,
        caller: &Caller,
        t: &Table,
        opts: ImportOptions,
    ) -> Result<ImportReport> {
        caller.require(Permission::ManageOrganisation)?;
        let deps = self
            .store
            .list_departments(&caller.scope, self.clock.today())?;
        let sectors = self.sector_names()?;
        let map = map_columns(t, &DUTY_IMPORT, opts.ignore_columns)?;
        let limits = self.import_limits()?;
        let mut ok = Vec::new();
        let mut bad = RowErrors::new(limits.max_errors);
        for (rownum, cells) in map.rows(t) {
            let cell = |k: &str| map.get(cells, k);
            let dept = cell("department");
            let found = deps.iter().find(|d| d.name == dept || d.short_name == dept);
            let draft = DutyDraft {
                department_id: found.map(|d| d.id).unwrap_or(0),
                content: cell("content"),
                doc_kind: cell("doc_kind"),
                doc_title: cell("doc_title"),
                doc_no: cell("doc_no"),
                decided_on: Some(cell("decided_on")),
                sector_code: Some(cell("sector")),
                valid_from: cell("valid_from"),
                valid_to: Some(cell("valid_to")),
            };
            match self.validate_duty(&deps, &sectors, &draft) {
                Ok(d) => ok.push(d),
                Err(e) => bad.push(*rownum, || {
                    e.fields
                        .iter()
                        .flat_map(|(f, m)| {
                            let label = match f.as_str() {
                                "department_id" => "部门",
                                "sector_code" => "行业领域",
                                other => map.label(other),
                            }
                            .to_string();
                            let dept = dept.clone();
                            m.iter().map(move |m| {
                                if label == "部门" {
                                    format!("部门：“{dept}”不存在或不在本县")
                                } else {
                                    format!("{label}：{m}")
                                }
                            })
                        })
                        .collect()
                }),
            }
        }
        ImportReport::finish(map.total(t), ok, bad, &map, opts.skip_invalid, |ok| {
            Ok(self
                .store
                .create_duties(&caller.change(&caller.scope, self), &ok)?)
        })
    }
}
