//! 派驻花名册 import: a unit's roster sheet (监督员, 派出单位, 驻守企业或重点地段, 开始日期,
//! 结束日期, 备注), each row checked like the form (the supervisor by user name or name, the
//! unit by name, the site by a key place's name, an enterprise's name or 信用代码), each bad
//! row reported with its number; with any bad row nothing is written unless `skip_invalid`,
//! and the rows are written in one transaction.

use super::*;
use crate::import::{Column, ImportOptions, ImportReport, RowErrors, Table, map_columns};

/// The columns of the roster sheet (and of the exported roster, whose 所在地 is ignored).
pub static ROSTER_COLUMNS: [Column; 7] = [
    Column::new("supervisor", "监督员", &["派驻监督员", "姓名", "用户名"]).required(),
    Column::new("unit", "派出单位", &["派驻单位"]),
    Column::new(
        "site",
        "驻守企业（重点地段）",
        &["驻守企业", "驻守单位", "重点地段", "驻点"],
    )
    .required(),
    Column::new("region", "所在地", &[]),
    Column::new("starts_on", "开始日期", &["派驻开始日期"]).required(),
    Column::new("ends_on", "结束日期", &["派驻结束日期"]),
    Column::new("note", "备注", &[]),
];

impl App {
    /// Imports a roster of assignments (see the module).
    pub fn import_station_roster(
        &self,
        caller: &Caller,
        t: &Table,
        opts: ImportOptions,
    ) -> Result<ImportReport> {
        self.require_station_manager(caller)?;
        let map = map_columns(t, &ROSTER_COLUMNS, opts.ignore_columns)?;
        let limits = self.import_limits()?;
        let supervisors = self.supervisor_users(caller)?;
        let places = self.key_places(caller)?;
        let towns = self.townships(caller)?;
        let departments = self.list_departments(caller)?;
        let mut ok = Vec::new();
        let mut bad = RowErrors::new(limits.max_errors);
        for (rownum, cells) in map.rows(t) {
            let cell = |k: &str| map.get(cells, k);
            let mut e = ValidationErrors::new();
            // The supervisor: a user name, a full display name, or the name after the role.
            let who = cell("supervisor");
            let who = who.trim();
            let found: Vec<i64> = supervisors
                .iter()
                .filter(|(_, user, name)| {
                    user == who || name == who || name.rsplit(' ').next() == Some(who)
                })
                .map(|(id, ..)| *id)
                .collect();
            let supervisor = match found.as_slice() {
                [id] => id.to_string(),
                [] => {
                    e.add("supervisor", format!("“{who}”不是本县在用的派驻监督员"));
                    String::new()
                }
                _ => {
                    e.add("supervisor", format!("“{who}”有重名，请填写用户名"));
                    String::new()
                }
            };
            let unit_typed = cell("unit");
            let unit = match unit_typed.trim() {
                "" => String::new(),
                u => {
                    if let Some((code, _)) = towns.iter().find(|(_, n)| n == u) {
                        format!("township:{code}")
                    } else if let Some(d) = departments
                        .iter()
                        .find(|d| d.name == u || d.short_name == u)
                    {
                        format!("department:{}", d.id)
                    } else {
                        e.add("unit", format!("“{u}”不是本县的乡镇或部门"));
                        String::new()
                    }
                }
            };
            let site_typed = cell("site");
            let site = match places.iter().find(|p| p.name == site_typed.trim()) {
                Some(p) => format!("place:{}", p.id),
                None => match self.resolve_enterprise(caller, &site_typed)? {
                    Ok(Some(id)) => format!("enterprise:{id}"),
                    Ok(None) => {
                        e.add("site", "请填写驻守的企业或重点地段");
                        String::new()
                    }
                    Err(m) => {
                        e.add("site", m);
                        String::new()
                    }
                },
            };
            let d = AssignmentDraft {
                supervisor_id: supervisor,
                unit,
                site,
                starts_on: cell("starts_on"),
                ends_on: cell("ends_on"),
                note: cell("note"),
            };
            let input = if e.is_empty() {
                match self.station_assignment_input(caller, &d) {
                    Ok(i) => Some(i),
                    Err(AppError::Validation(v)) => {
                        for (f, msgs) in v.fields {
                            let at = match f.as_str() {
                                "supervisor_id" => "supervisor",
                                other => other,
                            };
                            for m in msgs {
                                e.add(at, m);
                            }
                        }
                        None
                    }
                    // A site out of the caller's township reads like a missing one.
                    Err(AppError::NotFound) => {
                        e.add("site", "未找到该企业或重点地段（或不在您的管辖范围内）");
                        None
                    }
                    Err(other) => return Err(other),
                }
            } else {
                // The days are still checked, so a row's errors come all at once.
                for (k, v) in [
                    ("starts_on", cell("starts_on")),
                    ("ends_on", cell("ends_on")),
                ] {
                    if !(v.trim().is_empty() && k == "ends_on")
                        && let Err(m) = parse_date(&v)
                    {
                        e.add(k, m);
                    }
                }
                None
            };
            match (e.into_result(), input) {
                (Ok(()), Some(i)) => ok.push(i),
                (Err(errors), _) => bad.push(*rownum, || {
                    errors
                        .fields
                        .iter()
                        .flat_map(|(f, m)| {
                            let label = map.label(f).to_string();
                            m.iter().map(move |m| format!("{label}：{m}"))
                        })
                        .collect()
                }),
                (Ok(()), None) => {}
            }
        }
        ImportReport::finish(map.total(t), ok, bad, &map, opts.skip_invalid, |ok| {
            Ok(self
                .store
                .create_station_assignments(&caller.change(&caller.scope, self), &ok)?)
        })
    }
}
