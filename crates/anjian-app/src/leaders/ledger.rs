//! 包片包线台账 as Excel, and its import: one row per assignment, in the same columns, so an
//! exported ledger can be edited and imported again.

use super::*;
use crate::import::{Column, ImportOptions, ImportReport, RowErrors, Table, map_columns};
use anjian_store::leaders::ImportedAssignment;

/// The columns of the ledger and of its import, with the other headers accepted.
pub static LEADER_IMPORT: [Column; 8] = [
    Column::new("name", "领导姓名", &["姓名", "包保领导", "县领导"]).required(),
    Column::new("post", "职务", &["领导职务"]).required(),
    Column::new("phone", "联系电话", &["电话", "手机"]).code(crate::import::Code::Phone),
    Column::new("kind", "类别", &["包保类别", "包片包线"]).required(),
    Column::new("target", "包保对象", &["乡镇（街道）/行业领域", "对象"]).required(),
    Column::new("basis", "依据文件", &["依据", "文件"]).required(),
    Column::new("valid_from", "起始日期", &["开始日期", "起始时间"]).required(),
    Column::new("valid_to", "终止日期", &["结束日期", "终止时间"]),
];

impl App {
    /// 包片包线台账: every assignment (or those in force on `as_of`), in the import's columns.
    pub fn leaders_ledger(&self, caller: &Caller, as_of: Option<&str>) -> Result<Vec<u8>> {
        let list = self.assignments(
            caller,
            &AssignmentQuery {
                as_of: as_of.map(str::to_string),
                ..Default::default()
            },
        )?;
        let leaders = self.store.list_leaders(&caller.scope)?;
        let headers: Vec<&str> = LEADER_IMPORT.iter().map(|c| c.label).collect();
        let widths = [12.0, 20.0, 16.0, 8.0, 24.0, 40.0, 12.0, 12.0];
        let mut rows: Vec<(i64, Vec<String>)> = list
            .into_iter()
            .map(|v| {
                let l = leaders.iter().find(|l| l.id == v.assignment.leader_id);
                (
                    l.map(|l| l.sort_order).unwrap_or(i64::MAX),
                    vec![
                        v.leader_name,
                        v.leader_post,
                        l.and_then(|l| l.phone.clone()).unwrap_or_default(),
                        v.kind_label,
                        v.target_name,
                        v.assignment.basis,
                        v.assignment.valid_from.to_string(),
                        v.assignment
                            .valid_to
                            .map(|d| d.to_string())
                            .unwrap_or_default(),
                    ],
                )
            })
            .collect();
        rows.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        let rows: Vec<Vec<String>> = rows.into_iter().map(|(_, r)| r).collect();
        crate::export::render(
            crate::export::ExportFormat::Xlsx,
            "包片包线台账",
            &headers,
            &widths,
            &rows,
        )
    }

    /// Imports assignments from a table in the ledger's columns (安委办): a leader not yet on
    /// the list is added with the row's post and phone; each assignment hands over from the
    /// target's current one as a form would. Every row is checked first, in file order and
    /// against the rows above it; with any bad row nothing is written unless `skip_invalid`.
    pub fn import_leaders(
        &self,
        caller: &Caller,
        t: &Table,
        opts: ImportOptions,
    ) -> Result<ImportReport> {
        caller.require(Permission::ManageOrganisation)?;
        let county = county_of(caller)?;
        let names = self.target_names(&county)?;
        let map = map_columns(t, &LEADER_IMPORT, opts.ignore_columns)?;
        let limits = self.import_limits()?;
        let mut spans: BTreeMap<(AreaKind, String), Vec<(i64, Span)>> = BTreeMap::new();
        for a in self
            .store
            .list_assignments(&caller.scope, &AssignmentFilter::default())?
        {
            spans
                .entry((a.kind, a.target.clone()))
                .or_default()
                .push((a.id, a.span()));
        }
        let mut ok = Vec::new();
        let mut bad = RowErrors::new(limits.max_errors);
        for (rownum, cells) in map.rows(t) {
            let cell = |k: &str| map.get(cells, k);
            let mut e = map.code_errors(t, *rownum, cells);
            let name = required_text(&mut e, "name", "领导姓名", &cell("name"), 30);
            let post = required_text(&mut e, "post", "职务", &cell("post"), 40);
            let phone = Some(cell("phone"))
                .filter(|p| !p.is_empty())
                .and_then(|p| e.check("phone", anjian_domain::phone::parse_phone(&p)));
            let kind = kind_of(&mut e, "kind", &cell("kind"));
            let target = kind.and_then(|k| {
                let c = names.code(k, &cell("target"));
                if c.is_none() {
                    e.add(
                        "target",
                        format!("{}“{}”不存在", k.target_label(), cell("target")),
                    );
                }
                c
            });
            let basis = required_text(&mut e, "basis", "依据文件", &cell("basis"), 200);
            let from = e.check("valid_from", parse_date(&cell("valid_from")));
            let to = optional_date(&mut e, "valid_to", Some(&cell("valid_to")));
            if let (Some(k), Some(tg), Some(f)) = (kind, &target, from) {
                let list = spans.entry((k, tg.clone())).or_default();
                match handover(list, Span { from: f, to }) {
                    Ok(ends) if e.is_empty() => {
                        for (id, last) in ends {
                            if let Some(s) = list.iter_mut().find(|(i, _)| *i == id) {
                                s.1.to = Some(last);
                            }
                        }
                        list.push((-(*rownum as i64), Span { from: f, to }));
                    }
                    Ok(_) => {}
                    Err(err) => {
                        let (field, msg) = err.message();
                        e.add(field, msg);
                    }
                }
            }
            match (e.is_empty(), kind, target, from) {
                (true, Some(kind), Some(target), Some(valid_from)) => {
                    ok.push(ImportedAssignment {
                        leader: LeaderInput {
                            county_code: county.clone(),
                            name,
                            post,
                            phone,
                            user_id: None,
                            sort_order: 100,
                            active: true,
                        },
                        assignment: AssignmentInput {
                            county_code: county.clone(),
                            leader_id: 0,
                            kind,
                            target,
                            basis,
                            valid_from,
                            valid_to: to,
                        },
                    });
                }
                _ => bad.push(*rownum, || {
                    e.fields
                        .iter()
                        .flat_map(|(f, m)| {
                            let label = map.label(f).to_string();
                            m.iter().map(move |m| format!("{label}：{m}"))
                        })
                        .collect()
                }),
            }
        }
        ImportReport::finish(map.total(t), ok, bad, &map, opts.skip_invalid, |ok| {
            Ok(self
                .store
                .import_assignments(&caller.change(&caller.scope, self), &ok)?)
        })
    }
}
