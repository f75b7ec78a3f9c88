//! A session's attendees imported from a roster (签到表、花名册: CSV or XLSX with 姓名, 单位 and
//! 联系电话 columns). Every row is checked like a typed attendee; a bad row is reported with
//! its row number and reasons, and nothing is written unless the caller skips bad rows.

use super::own_department;
use crate::import::{Column, ImportOptions, ImportReport, RowErrors, Table, map_columns};
use crate::{App, Caller, Result};
use anjian_domain::ValidationErrors;

/// The roster's columns, with the other headers accepted.
pub static ROSTER_COLUMNS: [Column; 3] = [
    Column::new(
        "name",
        "姓名",
        &["参训人员", "参训人", "学员姓名", "人员姓名"],
    )
    .required(),
    Column::new(
        "unit",
        "单位",
        &["工作单位", "所在单位", "单位名称", "企业名称"],
    ),
    Column::new("phone", "联系电话", &["电话", "手机", "手机号", "手机号码"]),
];

impl App {
    /// Imports a session's attendees from a roster sheet.
    pub fn import_training_roster(
        &self,
        caller: &Caller,
        session_id: i64,
        t: &Table,
        opts: ImportOptions,
    ) -> Result<ImportReport> {
        self.require_training_recorder(caller)?;
        // The session first: out of scope reads as missing, whatever the sheet holds.
        self.store
            .get_training_session(&caller.scope, own_department(caller), session_id)?;
        let map = map_columns(t, &ROSTER_COLUMNS, opts.ignore_columns)?;
        let limits = self.import_limits()?;
        let total = map.total(t);
        if total > super::MAX_ATTENDEES {
            return Err(ValidationErrors::single(
                "file",
                format!("花名册一次最多导入{}人", super::MAX_ATTENDEES),
            )
            .into());
        }
        let mut ok = Vec::new();
        let mut bad = RowErrors::new(limits.max_errors);
        for (rownum, cells) in map.rows(t) {
            let cell = |k: &str| map.get(cells, k);
            match anjian_domain::training::check_attendee(
                &cell("name"),
                &cell("unit"),
                &cell("phone"),
            ) {
                Ok(a) => ok.push(a),
                Err(faults) => bad.push(*rownum, || {
                    faults
                        .iter()
                        .map(|(f, m)| format!("{}：{m}", map.label(f)))
                        .collect()
                }),
            }
        }
        ImportReport::finish(total, ok, bad, &map, opts.skip_invalid, |ok| {
            if ok.is_empty() {
                return Ok(0);
            }
            Ok(self
                .store
                .add_training_attendees(
                    &caller.change(&caller.scope, self),
                    own_department(caller),
                    session_id,
                    &ok,
                )?
                .len())
        })
    }
}
