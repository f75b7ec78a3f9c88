//! One step of a case: its inputs checked, the case and the hazard moved together, a ledger
//! entry or an extension recorded.

use super::*;

impl App {
    pub fn major_action(
        &self,
        caller: &Caller,
        hazard_id: i64,
        input: &CaseInput,
    ) -> Result<CaseView> {
        let action = CaseAction::parse(input.action.trim())
            .ok_or_else(|| AppError::Validation(ValidationErrors::single("action", "操作应为 list、downgrade、assign、start、ledger、request_extension、approve_extension、deny_extension、request_closeout、accept 或 fail")))?;
        let (case, h) = self.store.get_major_case(&caller.scope, hazard_id)?;
        if let Some(v) = input.version
            && v != case.version
        {
            return Err(AppError::Conflict(
                "该重大隐患已被他人办理，请刷新后重试".into(),
            ));
        }
        let state = case.state;
        let next = major::transition(
            &major::CaseFacts {
                state,
                has_enterprise: h.enterprise_id.is_some(),
            },
            action,
            &self.case_actor(caller, &h),
        )?;
        let today = self.clock.today();
        let mut e = ValidationErrors::new();
        let note = text(
            &mut e,
            "note",
            "说明",
            &input.note,
            2000,
            matches!(
                action,
                CaseAction::Downgrade
                    | CaseAction::Fail
                    | CaseAction::DenyExtension
                    | CaseAction::RequestExtension
                    | CaseAction::Ledger
                    | CaseAction::RequestCloseout
            ),
        );
        let mut c = case.clone();
        c.state = next;
        let mut f = h.fields();
        let mut what = CaseChange::default();
        let mut data = serde_json::Map::new();
        match action {
            CaseAction::List => {
                c.basis_standard = text(
                    &mut e,
                    "basis_standard",
                    "判定依据（判定标准）",
                    &input.basis_standard,
                    200,
                    true,
                );
                c.basis_clause = text(
                    &mut e,
                    "basis_clause",
                    "判定依据条款",
                    &input.basis_clause,
                    200,
                    true,
                );
                c.determined_by = text(
                    &mut e,
                    "determined_by",
                    "认定主体（会议或文件）",
                    &input.determined_by,
                    200,
                    true,
                );
                c.tier = input
                    .tier
                    .clone()
                    .filter(|t| !t.is_empty())
                    .unwrap_or_else(|| "county".into());
                if !["county", "city", "province"].contains(&c.tier.as_str()) {
                    e.add("tier", "清单层级应为县级、市级或省级");
                }
                c.determined_on = Some(today);
            }
            CaseAction::Downgrade => {
                c.downgrade_reason = note.clone();
                c.determined_on = Some(today);
                f.level = anjian_domain::hazard::Level::General;
                what.hazard = Some(f.clone());
            }
            CaseAction::Assign => {
                c.assignment_no = text(
                    &mut e,
                    "assignment_no",
                    "交办单编号",
                    &input.assignment_no,
                    60,
                    true,
                );
                c.assigning_unit = text(
                    &mut e,
                    "assigning_unit",
                    "交办单位",
                    &input.assigning_unit,
                    100,
                    true,
                );
                c.coordinating_supervisor = text(
                    &mut e,
                    "coordinating_supervisor",
                    "协调督办单位",
                    &input.coordinating_supervisor,
                    100,
                    true,
                );
                f.responsible_unit = text(
                    &mut e,
                    "responsible_unit",
                    "治理责任单位",
                    &input
                        .responsible_unit
                        .clone()
                        .or(Some(f.responsible_unit.clone())),
                    100,
                    true,
                );
                match input
                    .deadline
                    .as_deref()
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                {
                    Some(d) => match parse_date(d) {
                        Ok(d) if d > today => {
                            f.deadline = Some(d);
                            f.deadline_basis = Some("date".into());
                            f.deadline_rule =
                                format!("交办单 {} 规定的整改完成时限", c.assignment_no);
                        }
                        Ok(_) => e.add("deadline", "整改完成时限应晚于今天"),
                        Err(m) => e.add("deadline", m),
                    },
                    None => e.add("deadline", "请填写整改完成时限"),
                }
                c.assigned_on = Some(today);
                f.status = Status::Ordered;
                what.hazard = Some(f.clone());
            }
            CaseAction::Start => {
                let mut set =
                    |v: &Option<String>, field: &str, label: &str, target: &mut String| {
                        if v.is_some() {
                            *target = text(&mut e, field, label, v, 2000, false);
                        }
                    };
                set(
                    &input.responsible_unit,
                    "responsible_unit",
                    "整改责任单位",
                    &mut f.responsible_unit,
                );
                set(
                    &input.responsible_person,
                    "responsible_person",
                    "整改责任人",
                    &mut f.responsible_person,
                );
                set(&input.measures, "measures", "整改措施", &mut f.measures);
                set(
                    &input.emergency_plan,
                    "emergency_plan",
                    "应急预案",
                    &mut f.emergency_plan,
                );
                if input.funds_planned.is_some() {
                    f.funds_planned = input.funds_planned.filter(|n| *n >= 0);
                }
                for (field, msgs) in crate::hazards::five_of(&f).missing().fields {
                    for m in msgs {
                        e.add(&field, m);
                    }
                }
                f.status = Status::Rectifying;
                what.hazard = Some(f.clone());
            }
            CaseAction::Ledger => {
                let progress = input.progress.unwrap_or(-1);
                if !(0..=100).contains(&progress) {
                    e.add("progress", "整改进度应为 0–100 的整数（%）");
                }
                what.ledger = Some((today, progress, note.clone()));
            }
            CaseAction::RequestExtension => match input.deadline.as_deref().map(parse_date) {
                Some(Ok(d)) if f.deadline.is_none_or(|old| d > old) => {
                    what.extension_request = Some((d, note.clone()));
                }
                Some(Ok(_)) => e.add("deadline", "申请的期限应晚于现有期限"),
                Some(Err(m)) => e.add("deadline", m),
                None => e.add("deadline", "请填写申请延期至的日期"),
            },
            CaseAction::ApproveExtension => {
                let pending = self
                    .store
                    .major_extensions(&Scope::system(), hazard_id)?
                    .into_iter()
                    .rev()
                    .find(|x| x.status == "pending");
                match pending {
                    Some(p) => {
                        data.insert(
                            "previous_deadline".into(),
                            f.deadline.map(|d| d.to_string()).unwrap_or_default().into(),
                        );
                        data.insert("deadline".into(), p.requested_deadline.to_string().into());
                        f.deadline = Some(p.requested_deadline);
                        f.deadline_basis = Some("date".into());
                        f.deadline_rule = format!("批准延期（{}申请）", p.requested_on);
                        what.hazard = Some(f.clone());
                        what.extension_decision = Some((true, note.clone()));
                    }
                    None => e.add("_", "没有待审批的延期申请"),
                }
            }
            CaseAction::DenyExtension => what.extension_decision = Some((false, note.clone())),
            CaseAction::RequestCloseout => {
                if self
                    .store
                    .hazard_attachments(&caller.scope, hazard_id)?
                    .is_empty()
                {
                    e.add(
                        "file",
                        "申请销号前请先上传整改佐证材料（照片、验收或评估报告）",
                    );
                }
                f.status = Status::Reported;
                what.hazard = Some(f.clone());
            }
            CaseAction::Accept => {
                c.closed_on = Some(today);
                f.status = Status::Closed;
                f.closed_on = Some(today);
                what.hazard = Some(f.clone());
            }
            CaseAction::Fail => {
                f.status = Status::Rectifying;
                what.hazard = Some(f.clone());
            }
        }
        e.into_result()?;
        let ev = EventInput {
            action: format!("major_{}", action.as_str()),
            note,
            data: (!data.is_empty()).then_some(serde_json::Value::Object(data)),
        };
        let scope = caller.hazard_scope();
        self.store.major_case_action(
            &caller.change(&scope, self),
            hazard_id,
            case.version,
            &c,
            &what,
            &ev,
        )?;
        self.major_case(caller, hazard_id)
    }
}
