//! The closed loop of a hazard: who may do what now, the views, lists and each action.

use super::files::{self, EvidenceFile};
use super::*;

impl App {
    pub(super) fn actor(&self, caller: &Caller, h: &Hazard) -> Actor {
        caller.actor(&h.region_code, &h.sector, h.enterprise_id)
    }

    pub(super) fn facts(h: &Hazard) -> Result<Facts> {
        let f = h.fields();
        Ok(Facts {
            status: h.status,
            level: h.level,
            source: h.source,
            has_enterprise: h.enterprise_id.is_some(),
            five: five_of(&f),
        })
    }

    /// Whether the hazard is handled under 一单四制 (an open major case).
    pub(super) fn under_major_case(&self, h: &Hazard) -> bool {
        h.level == anjian_domain::hazard::Level::Major
            && self
                .store
                .with_open_major_case(&Scope::system(), &[h.id])
                .is_ok_and(|open| open.contains(&h.id))
    }

    /// What the caller may do to this hazard now.
    pub fn allowed_actions(&self, caller: &Caller, h: &Hazard) -> Vec<Action> {
        self.allowed_actions_known(caller, h, self.under_major_case(h))
    }

    /// [`App::allowed_actions`], whether the hazard is under an open major case known.
    fn allowed_actions_known(&self, caller: &Caller, h: &Hazard, under_major: bool) -> Vec<Action> {
        let Ok(mut facts) = Self::facts(h) else {
            return vec![];
        };
        if under_major {
            let who = self.actor(caller, h);
            return if hazard::transition(&facts, Action::Note, &who).is_ok() {
                vec![Action::Note]
            } else {
                vec![]
            };
        }
        // Start may supply the missing 五落实 itself; offer it whenever the rest allows it.
        facts.five = Five::all(true);
        let who = self.actor(caller, h);
        hazard::ACTIONS
            .into_iter()
            .filter(|a| hazard::transition(&facts, *a, &who).is_ok())
            .collect()
    }

    pub fn hazard_view(&self, caller: &Caller, h: Hazard) -> Result<HazardView> {
        self.view(caller, h)
    }

    pub(super) fn view(&self, caller: &Caller, h: Hazard) -> Result<HazardView> {
        let under_major = self.under_major_case(&h);
        self.view_known(caller, h, under_major)
    }

    /// The views of a page of hazards: whether each major one is under an open case read
    /// in one query for the page.
    fn views(&self, caller: &Caller, hazards: Vec<Hazard>) -> Result<Vec<HazardView>> {
        let major: Vec<i64> = hazards
            .iter()
            .filter(|h| h.level == anjian_domain::hazard::Level::Major)
            .map(|h| h.id)
            .collect();
        // As `under_major_case`: a state check of hazards already read in the caller's scope.
        let open = self.store.with_open_major_case(&Scope::system(), &major)?;
        hazards
            .into_iter()
            .map(|h| {
                let under_major = open.contains(&h.id);
                self.view_known(caller, h, under_major)
            })
            .collect()
    }

    fn view_known(&self, caller: &Caller, h: Hazard, under_major: bool) -> Result<HazardView> {
        let status = Self::facts(&h)?.status;
        let (deadline, reported_on) = (h.deadline, h.reported_on);
        let today = self.today();
        let review_due = match (status, reported_on) {
            (Status::Reported, Some(r)) => {
                Some(self.review_due_of(r, self.review_working_days()?)?)
            }
            _ => None,
        };
        Ok(HazardView {
            overdue: hazard::is_overdue(status, deadline, reported_on, today),
            review_due: review_due.map(|d| d.to_string()),
            review_overdue: review_due.is_some_and(|d| d < today),
            status_label: status.label(),
            level_label: h.level.label(),
            source_label: h.source.label(),
            allowed_actions: self
                .allowed_actions_known(caller, &h, under_major)
                .into_iter()
                .map(Action::as_str)
                .collect(),
            hazard: h,
        })
    }

    pub fn get_hazard(&self, caller: &Caller, id: i64) -> Result<(HazardView, Vec<HazardEvent>)> {
        let (h, events) = self.store.hazard_with_events(&caller.scope, id)?;
        Ok((self.view(caller, h)?, events))
    }

    pub fn list_hazards(&self, caller: &Caller, f: &HazardFilter) -> Result<Page<HazardView>> {
        let f = self.as_of_today(f);
        let page = self.store.list_hazards(&caller.scope, &f)?;
        Ok(Page {
            items: self.views(caller, page.items)?,
            next: page.next,
        })
    }

    /// How many hazards [`App::list_hazards`]'s page under `f` holds, from their ids alone.
    pub fn count_hazards_upto(&self, caller: &Caller, f: &HazardFilter) -> Result<i64> {
        let f = self.as_of_today(f);
        Ok(self.store.count_hazards_upto(&caller.scope, &f)?)
    }

    /// The matching hazards' total and, of those, the overdue ones (one pass).
    pub fn count_hazards_and_overdue(
        &self,
        caller: &Caller,
        f: &HazardFilter,
    ) -> Result<(i64, i64)> {
        let f = self.as_of_today(f);
        Ok(self.store.count_hazards_and_overdue(&caller.scope, &f)?)
    }

    /// Applies one action of the closed loop.
    pub fn hazard_action(
        &self,
        caller: &Caller,
        id: i64,
        input: &ActionInput,
    ) -> Result<HazardView> {
        Ok(self
            .hazard_action_with_evidence(caller, id, input, Vec::new())?
            .0)
    }

    /// Applies one action of the closed loop with the evidence files it comes with (a
    /// rectification reported with its photos, in one submission). The files are checked as
    /// an upload is (by content and size; a refusal names the file under `evidence`) and may
    /// be added by whoever may upload evidence; they count as the evidence a report needs.
    /// Files and action are stored in one transaction: if the action is refused, no file is
    /// stored.
    pub fn hazard_action_with_evidence(
        &self,
        caller: &Caller,
        id: i64,
        input: &ActionInput,
        files: Vec<EvidenceFile>,
    ) -> Result<(HazardView, Vec<anjian_store::attachments::Attachment>)> {
        let action = Action::parse(input.action.trim()).ok_or_else(|| {
            AppError::Validation(ValidationErrors::single(
                "action",
                "操作应为 order、fix_on_site、start、report、pass、reject、extend 或 note",
            ))
        })?;
        let h = self.store.get_hazard(&caller.scope, id)?;
        if let Some(v) = input.version
            && v != h.version
        {
            return Err(AppError::Conflict(
                "该隐患已被他人处理，请刷新后重试".into(),
            ));
        }
        if action != Action::Note && self.under_major_case(&h) {
            return Err(AppError::Conflict(
                "该隐患为重大事故隐患，请按“一单四制”办理（认定、交办、五落实、台账、销号）".into(),
            ));
        }
        let mut f = h.fields();
        let mut e = ValidationErrors::new();
        let note = opt_text(&mut e, "note", "说明", &input.note, 2000);
        let today = self.today();
        let mut data = serde_json::Map::new();
        // The 五落实 may be completed together with the action.
        let mut set =
            |v: &Option<String>, field: &str, label: &str, max: usize, target: &mut String| {
                if v.is_some() {
                    *target = opt_text(&mut e, field, label, v, max);
                }
            };
        set(
            &input.responsible_unit,
            "responsible_unit",
            "整改责任单位",
            100,
            &mut f.responsible_unit,
        );
        set(
            &input.responsible_person,
            "responsible_person",
            "整改责任人",
            30,
            &mut f.responsible_person,
        );
        set(
            &input.measures,
            "measures",
            "整改措施",
            2000,
            &mut f.measures,
        );
        set(
            &input.emergency_plan,
            "emergency_plan",
            "应急预案",
            2000,
            &mut f.emergency_plan,
        );
        if input.funds_planned.is_some() {
            f.funds_planned = money(&mut e, "funds_planned", input.funds_planned);
        }
        if input.funds_spent.is_some() {
            f.funds_spent = money(&mut e, "funds_spent", input.funds_spent);
        }
        let wants_deadline = matches!(action, Action::Order | Action::Extend);
        if wants_deadline || input.deadline.is_some() || input.deadline_days.is_some() {
            let rule = if action == Action::Extend {
                "延期"
            } else {
                DEADLINE_RULE_ORDER
            };
            match self.resolve_deadline(
                &mut e,
                today,
                &input.deadline,
                input.deadline_days,
                &input.deadline_basis,
                rule,
            )? {
                Some((d, b, r)) => {
                    if action == Action::Extend && f.deadline.is_some_and(|old| d <= old) {
                        e.add("deadline", "延期后的期限应晚于原期限");
                    }
                    data.insert("deadline".into(), d.to_string().into());
                    if let Some(old) = f.deadline {
                        data.insert("previous_deadline".into(), old.to_string().into());
                    }
                    f.deadline = Some(d);
                    f.deadline_basis = Some(b);
                    f.deadline_rule = r;
                }
                None if (wants_deadline && f.deadline.is_none() || action == Action::Extend)
                    && !e.fields.contains_key("deadline")
                    && !e.fields.contains_key("deadline_days") =>
                {
                    e.add("deadline", "请设置整改期限（日期，或天数加计算方式）");
                }
                None => {}
            }
        }
        if matches!(action, Action::Reject | Action::Extend | Action::Note) && note.is_empty() {
            e.add(
                "note",
                match action {
                    Action::Reject => "请填写复查不合格的原因",
                    Action::Extend => "请填写延期理由",
                    _ => "请填写整改进展",
                },
            );
        }
        let files = files::checked_files(
            &mut e,
            "evidence",
            files,
            &format!("{}时提交", action.label()),
        );
        e.into_result()?;
        let mut facts = Self::facts(&h)?;
        facts.five = five_of(&f);
        let next = hazard::transition(&facts, action, &self.actor(caller, &h))?;
        if !files.is_empty() {
            self.may_attach(caller, &h)?;
        }
        if action == Action::Report
            && files.is_empty()
            && self.report_requires_evidence()?
            && self.store.hazard_attachments(&caller.scope, id)?.is_empty()
        {
            return Err(ValidationErrors::single(
                "evidence",
                "报告整改完成须附整改佐证材料：请先在“佐证材料”中上传整改后的照片或文件",
            )
            .into());
        }
        f.status = next;
        if next == Status::Closed {
            f.closed_on = Some(today);
        }
        let ev = EventInput {
            action: action.as_str().into(),
            note,
            data: (!data.is_empty()).then_some(serde_json::Value::Object(data)),
        };
        let scope = caller.hazard_scope();
        let change = caller.change(&scope, self);
        let (h, saved) = if files.is_empty() {
            let h = self.store.update_hazard(&change, id, h.version, &f, &ev)?;
            (h, vec![])
        } else {
            self.store
                .update_hazard_with_files(&change, id, h.version, &f, &ev, &files)?
        };
        Ok((self.view(caller, h)?, saved))
    }
}
