//! 约谈问责台账 as Excel, and its import (the same columns): one row per record, the persons
//! as "姓名/职务/单位；…" and the linked records as "隐患：123；考核：…".

use super::*;
use crate::import::{Column, ImportOptions, ImportReport, RowErrors, Table, map_columns};
use anjian_domain::accountability::{persons_from_text, persons_to_text};

/// The columns of the ledger and of its import, with the other headers accepted.
pub static ACCOUNTABILITY_IMPORT: [Column; 11] = [
    Column::new("kind", "类型", &["处理类型"]).required(),
    Column::new("theme", "主题", &["领域"]).required(),
    Column::new("target_kind", "对象类别", &["对象类型"]).required(),
    Column::new("target", "对象", &["被问责对象", "被约谈单位", "单位"]),
    Column::new(
        "persons",
        "涉及人员",
        &["被约谈人员", "人员", "姓名/职务/单位"],
    ),
    Column::new("measure", "处理措施", &["问责措施", "措施"]),
    Column::new("decided_by", "决定机关", &["约谈机关", "决定单位"]).required(),
    Column::new("decided_on", "日期", &["决定日期", "约谈日期"]).required(),
    Column::new("reason", "事由", &["原因", "问题"]).required(),
    Column::new("refs", "关联记录", &["关联"]),
    Column::new("doc_no", "文号", &["决定文号"]),
];

/// "隐患：123；考核：2022年度考核" as linked records (a line without a kind is 其他).
pub fn refs_from_text(s: &str) -> Vec<RefDraft> {
    s.split(['；', ';', '\n'])
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| match r.split_once(['：', ':']) {
            Some((k, v)) => RefDraft {
                kind: k.trim().to_string(),
                reference: v.trim().to_string(),
            },
            None => RefDraft {
                kind: "other".into(),
                reference: r.to_string(),
            },
        })
        .collect()
}

/// Linked records as one line of text.
pub fn refs_to_text(refs: &[Reference]) -> String {
    refs.iter()
        .map(|r| {
            let what =
                r.id.map(|i| i.to_string())
                    .unwrap_or_else(|| r.text.clone());
            format!("{}：{what}", r.kind.label())
        })
        .collect::<Vec<_>>()
        .join("；")
}

impl App {
    /// 约谈问责台账: the records of the query in the caller's scope, in the import's columns.
    pub fn accountability_ledger(
        &self,
        caller: &Caller,
        q: &AccountabilityQuery,
    ) -> Result<Vec<u8>> {
        let list = self.accountability_records(caller, q)?;
        let headers: Vec<&str> = ACCOUNTABILITY_IMPORT.iter().map(|c| c.label).collect();
        let widths = [
            10.0, 12.0, 10.0, 24.0, 40.0, 16.0, 16.0, 12.0, 40.0, 24.0, 20.0,
        ];
        let rows: Vec<Vec<String>> = list
            .into_iter()
            .map(|v| {
                let a = v.record;
                vec![
                    v.kind_label,
                    v.theme_label,
                    v.target_kind_label,
                    a.target_name,
                    persons_to_text(&a.persons),
                    a.measure,
                    a.decided_by,
                    a.decided_on.to_string(),
                    a.reason,
                    refs_to_text(&a.refs),
                    a.doc_no,
                ]
            })
            .collect();
        crate::export::render(
            crate::export::ExportFormat::Xlsx,
            "约谈问责台账",
            &headers,
            &widths,
            &rows,
        )
    }

    /// Imports records (安委办), each row checked like the form; with any bad row nothing is
    /// written unless `skip_invalid`.
    pub fn import_accountability(
        &self,
        caller: &Caller,
        t: &Table,
        opts: ImportOptions,
    ) -> Result<ImportReport> {
        caller.require(Permission::DecideAsCountyOffice)?;
        let map = map_columns(t, &ACCOUNTABILITY_IMPORT, opts.ignore_columns)?;
        let limits = self.import_limits()?;
        let mut ok = Vec::new();
        let mut bad = RowErrors::new(limits.max_errors);
        for (rownum, cells) in map.rows(t) {
            let cell = |k: &str| map.get(cells, k);
            let mut pre = ValidationErrors::new();
            let persons: Vec<Person> = persons_from_text(&cell("persons"))
                .into_iter()
                .filter_map(|p| {
                    if p.is_none() {
                        pre.add("persons", "人员应写作“姓名/职务/单位”，多人以“；”分隔");
                    }
                    p
                })
                .collect();
            let target_kind = cell("target_kind");
            let draft = AccountabilityDraft {
                kind: cell("kind"),
                theme: cell("theme"),
                // A person's row names the unit's township in 对象, if any.
                target: if TargetKind::from_words(&target_kind) == Some(TargetKind::Person) {
                    String::new()
                } else {
                    cell("target")
                },
                region_code: (TargetKind::from_words(&target_kind) == Some(TargetKind::Person))
                    .then(|| cell("target")),
                target_kind,
                persons,
                measure: cell("measure"),
                decided_by: cell("decided_by"),
                decided_on: cell("decided_on"),
                reason: cell("reason"),
                refs: refs_from_text(&cell("refs")),
                doc_no: cell("doc_no"),
            };
            let mut errors = match self.validate_accountability(caller, &draft)? {
                Ok(a) if pre.is_empty() => {
                    ok.push(a);
                    continue;
                }
                Ok(_) => ValidationErrors::new(),
                Err(e) => e,
            };
            errors.merge(pre);
            bad.push(*rownum, || {
                errors
                    .fields
                    .iter()
                    .flat_map(|(f, m)| {
                        let key = f.split(['[', '.']).next().unwrap_or(f);
                        let label = match key {
                            "region_code" => "对象",
                            other => map.label(other),
                        }
                        .to_string();
                        m.iter().map(move |m| format!("{label}：{m}"))
                    })
                    .collect()
            });
        }
        ImportReport::finish(map.total(t), ok, bad, &map, opts.skip_invalid, |ok| {
            Ok(self
                .store
                .create_accountability_records(&caller.change(&caller.scope, self), &ok)?)
        })
    }
}
