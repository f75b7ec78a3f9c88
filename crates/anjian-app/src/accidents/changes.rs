//! The accident's changes after registration: 补报, the chain's times, the flags, a linked
//! 举报, the investigation's extension and closing. Each asks [`may`] and writes one store
//! change under the version the caller read.

use super::*;
use anjian_domain::accident::{Party, max_extension, supplement_counted};
use anjian_domain::validation::parse_date;
use anjian_store::accidents::{AccidentChange, UpdateInput};

/// A 补报: the figures as they now are (an empty field keeps its value), the day they changed
/// and why.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AccidentUpdateDraft)]
pub struct UpdateDraft {
    pub version: i64,
    /// The day the casualties or the loss changed (`YYYY-MM-DD`).
    pub changed_on: String,
    #[serde(default, deserialize_with = "num_text")]
    #[schema(value_type = String)]
    pub deaths: String,
    #[serde(default, deserialize_with = "num_text")]
    #[schema(value_type = String)]
    pub missing: String,
    #[serde(default, deserialize_with = "num_text")]
    #[schema(value_type = String)]
    pub serious_injuries: String,
    #[serde(default, deserialize_with = "num_text")]
    #[schema(value_type = String)]
    pub minor_injuries: String,
    #[serde(default, deserialize_with = "num_text")]
    #[schema(value_type = String)]
    pub direct_loss_yuan: String,
    #[serde(default, deserialize_with = "num_text")]
    #[schema(value_type = String)]
    pub forest_area_ha: String,
    pub reason: String,
}

/// The chain's times (`YYYY-MM-DD HH:MM`; empty for not reported).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AccidentLinksDraft)]
pub struct LinksDraft {
    pub version: i64,
    #[serde(default)]
    pub unit_reported_at: String,
    #[serde(default)]
    pub county_reported_at: String,
}

/// 谎报 / 瞒报 as the regulator finds them, each with its reason.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AccidentFlagsDraft)]
pub struct FlagsDraft {
    pub version: i64,
    #[serde(default)]
    pub false_report: bool,
    #[serde(default)]
    pub false_report_reason: String,
    #[serde(default)]
    pub concealed: bool,
    #[serde(default)]
    pub concealed_reason: String,
}

/// A concealed-accident 举报 (by its number) that revealed the accident.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AccidentLinkReportDraft)]
pub struct LinkReportDraft {
    pub version: i64,
    pub report_id: i64,
}

/// The investigation's one extension: the new due day and why.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AccidentExtendDraft)]
pub struct ExtendDraft {
    pub version: i64,
    pub due: String,
    pub reason: String,
}

/// 结案: the day, the findings, the responsible parties and the linked records.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AccidentCloseDraft)]
pub struct CloseDraft {
    pub version: i64,
    pub closed_on: String,
    pub findings: String,
    #[serde(default)]
    pub parties: Vec<Party>,
    /// Numbers of accountability records (约谈问责) decided on the accident.
    #[serde(default)]
    pub accountability_ids: Vec<i64>,
    /// Numbers of penalty cases opened on it.
    #[serde(default)]
    pub case_ids: Vec<i64>,
}

impl App {
    fn accident_for(&self, caller: &Caller, id: i64, action: Action) -> Result<Accident> {
        let a = self.store.get_accident(&caller.scope, id)?;
        if !may(caller, &a, action) {
            let state = match action {
                Action::Extend | Action::Close if a.closed_on.is_some() => "该事故调查已结案",
                Action::Extend if a.extended_due.is_some() => "调查期限只能延长一次，已经延长过",
                _ => return Err(caller.refuse("执行此操作")),
            };
            return Err(crate::AppError::Conflict(state.into()));
        }
        Ok(a)
    }

    /// Records a 补报. Inside the window (30 days, 7 for road traffic and fires) it replaces
    /// the counted figures and re-levels the accident; later it is kept, marked, and counted
    /// nowhere.
    pub fn update_accident(
        &self,
        caller: &Caller,
        id: i64,
        d: &UpdateDraft,
    ) -> Result<(AccidentView, AccidentUpdate)> {
        caller.require(Permission::Supervise)?;
        let a = self.accident_for(caller, id, Action::Update)?;
        let mut e = ValidationErrors::new();
        let changed_on = e.check("changed_on", parse_date(&d.changed_on));
        if let Some(c) = changed_on {
            if c < a.occurred_on {
                e.add("changed_on", "变化日期不能早于事故发生日期");
            }
            if c > self.clock.today() {
                e.add("changed_on", "变化日期不能晚于今天");
            }
        }
        let f = figures(
            &mut e,
            Some(a.category),
            [
                &d.deaths,
                &d.missing,
                &d.serious_injuries,
                &d.minor_injuries,
                &d.direct_loss_yuan,
                &d.forest_area_ha,
            ],
            Some(a.figures()),
        );
        if f == a.figures() && e.is_empty() {
            e.add("deaths", "补报的人数和损失与现有数值相同");
        }
        let reason = required_text(&mut e, "reason", "补报原因", &d.reason, 500);
        e.into_result()?;
        let Some(changed_on) = changed_on else {
            return Err(ValidationErrors::single("changed_on", "请填写变化日期").into());
        };
        let counted = supplement_counted(
            a.occurred_on,
            changed_on,
            supplement_window_days(a.category, &a.sector),
        );
        let input = UpdateInput {
            changed_on,
            figures: f,
            reason,
            counted,
            level: if counted {
                level_of(a.category, &f.for_level())
            } else {
                a.level
            },
        };
        let (after, u) = self.store.add_accident_update(
            &caller.change(&caller.scope, self),
            id,
            d.version,
            &input,
        )?;
        Ok((self.accident_view(caller, after)?, u))
    }

    /// Sets the chain's times.
    pub fn set_accident_links(
        &self,
        caller: &Caller,
        id: i64,
        d: &LinksDraft,
    ) -> Result<AccidentView> {
        caller.require(Permission::Supervise)?;
        let a = self.accident_for(caller, id, Action::Links)?;
        let mut e = ValidationErrors::new();
        let unit = optional_time(
            &mut e,
            "unit_reported_at",
            "单位报告时间",
            &d.unit_reported_at,
        );
        let county = optional_time(
            &mut e,
            "county_reported_at",
            "县级上报时间",
            &d.county_reported_at,
        );
        check_links(
            &mut e,
            Some(a.occurred_at),
            unit,
            county,
            self.clock.local_now(),
        );
        e.into_result()?;
        self.change_accident(
            caller,
            id,
            d.version,
            AccidentChange::Links { unit, county },
        )
    }

    /// Sets or clears 谎报 / 瞒报 (a set flag needs its reason).
    pub fn set_accident_flags(
        &self,
        caller: &Caller,
        id: i64,
        d: &FlagsDraft,
    ) -> Result<AccidentView> {
        caller.require(Permission::DecideAsAgency)?;
        self.accident_for(caller, id, Action::Flags)?;
        let mut e = ValidationErrors::new();
        let reason = |e: &mut ValidationErrors, set: bool, field: &str, label: &str, v: &str| {
            if set {
                required_text(e, field, label, v, 500)
            } else {
                String::new()
            }
        };
        let false_report_reason = reason(
            &mut e,
            d.false_report,
            "false_report_reason",
            "谎报的认定理由",
            &d.false_report_reason,
        );
        let concealed_reason = reason(
            &mut e,
            d.concealed,
            "concealed_reason",
            "瞒报的认定理由",
            &d.concealed_reason,
        );
        e.into_result()?;
        self.change_accident(
            caller,
            id,
            d.version,
            AccidentChange::Flags {
                false_report: d.false_report,
                false_report_reason,
                concealed: d.concealed,
                concealed_reason,
            },
        )
    }

    /// Links a concealed-accident 举报 and marks the accident 瞒报 on its basis.
    pub fn link_accident_report(
        &self,
        caller: &Caller,
        id: i64,
        d: &LinkReportDraft,
    ) -> Result<AccidentView> {
        caller.require(Permission::DecideAsAgency)?;
        self.accident_for(caller, id, Action::LinkReport)?;
        let report = match self.store.get_report(&caller.scope, d.report_id) {
            Ok(r) => r,
            Err(anjian_store::StoreError::NotFound) => {
                return Err(ValidationErrors::single(
                    "report_id",
                    format!("举报（第{}号）不存在或不在管辖范围内", d.report_id),
                )
                .into());
            }
            Err(other) => return Err(other.into()),
        };
        if report.category != "concealed_accident" {
            return Err(ValidationErrors::single("report_id", "只能关联反映瞒报事故的举报").into());
        }
        let reason = format!(
            "{}收到举报（第{}号）反映该事故瞒报",
            report.received_on, report.id
        );
        self.change_accident(
            caller,
            id,
            d.version,
            AccidentChange::Report {
                report_id: report.id,
                reason,
            },
        )
    }

    /// Extends the investigation once, by at most 60 days past its due day (493号令 第二十九条).
    pub fn extend_accident_investigation(
        &self,
        caller: &Caller,
        id: i64,
        d: &ExtendDraft,
    ) -> Result<AccidentView> {
        caller.require(Permission::DecideAsAgency)?;
        let a = self.accident_for(caller, id, Action::Extend)?;
        let mut e = ValidationErrors::new();
        let due = e.check("due", parse_date(&d.due));
        if let Some(due) = due {
            let latest = max_extension(&*self.calendar()?, a.investigation_due);
            if due <= a.investigation_due {
                e.add("due", "延长后的期限应晚于原期限");
            }
            if due > latest {
                e.add("due", format!("延长期限最长不超过60日，即不晚于{latest}"));
            }
        }
        let reason = required_text(&mut e, "reason", "延期理由", &d.reason, 500);
        e.into_result()?;
        let Some(due) = due else {
            return Err(ValidationErrors::single("due", "请填写延长后的期限").into());
        };
        self.change_accident(
            caller,
            id,
            d.version,
            AccidentChange::Extend { due, reason },
        )
    }

    /// Closes the investigation (结案) with its findings, responsible parties and the linked
    /// accountability records and cases (each must exist in the caller's scope).
    pub fn close_accident_investigation(
        &self,
        caller: &Caller,
        id: i64,
        d: &CloseDraft,
    ) -> Result<AccidentView> {
        caller.require(Permission::DecideAsAgency)?;
        let a = self.accident_for(caller, id, Action::Close)?;
        let mut e = ValidationErrors::new();
        let closed_on = e.check("closed_on", parse_date(&d.closed_on));
        if let Some(c) = closed_on {
            if c < a.occurred_on {
                e.add("closed_on", "结案日期不能早于事故发生日期");
            }
            if c > self.clock.today() {
                e.add("closed_on", "结案日期不能晚于今天");
            }
        }
        let findings = required_text(&mut e, "findings", "调查结论", &d.findings, 4000);
        let mut parties = Vec::new();
        for (i, p) in d.parties.iter().enumerate() {
            let name = required_text(
                &mut e,
                &format!("parties[{i}].name"),
                "责任者名称",
                &p.name,
                100,
            );
            if p.measure.chars().count() > 200 {
                e.add(&format!("parties[{i}].measure"), "处理意见不能超过200个字");
            }
            parties.push(Party {
                name,
                unit: p.unit,
                measure: p.measure.trim().to_string(),
            });
        }
        for (i, r) in d.accountability_ids.iter().enumerate() {
            if self
                .store
                .get_accountability(&caller.scope, None, *r)
                .is_err()
            {
                e.add(
                    &format!("accountability_ids[{i}]"),
                    format!("约谈问责记录（第{r}号）不存在或不在管辖范围内"),
                );
            }
        }
        for (i, c) in d.case_ids.iter().enumerate() {
            if self.store.get_case(&caller.scope, *c).is_err() {
                e.add(
                    &format!("case_ids[{i}]"),
                    format!("案件（第{c}号）不存在或不在管辖范围内"),
                );
            }
        }
        e.into_result()?;
        let Some(closed_on) = closed_on else {
            return Err(ValidationErrors::single("closed_on", "请填写结案日期").into());
        };
        self.change_accident(
            caller,
            id,
            d.version,
            AccidentChange::Close {
                closed_on,
                findings,
                parties,
                accountability_ids: d.accountability_ids.clone(),
                case_ids: d.case_ids.clone(),
            },
        )
    }

    fn change_accident(
        &self,
        caller: &Caller,
        id: i64,
        version: i64,
        c: AccidentChange,
    ) -> Result<AccidentView> {
        let after =
            self.store
                .change_accident(&caller.change(&caller.scope, self), id, version, &c)?;
        self.accident_view(caller, after)
    }
}
