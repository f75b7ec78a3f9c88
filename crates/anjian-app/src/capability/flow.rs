//! The steps of an assessment: the township saves and submits its self-assessment (with
//! evidence files per item), the 安委办 accepts it (达标/未达标, day, inspectors) or returns
//! it with the reasons.

use super::*;
use anjian_domain::capability::CapabilityState;
use anjian_domain::validation::parse_date;

/// One item's self-assessment as submitted.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemAnswer {
    /// 创建标准项目代码
    pub code: String,
    /// 是否达到（不填为尚未自评）
    #[serde(default)]
    pub met: Option<bool>,
    #[serde(default)]
    pub note: String,
}

/// A step of the loop: `save` and `submit` carry the self-assessment (`items`), `accept`
/// the result, day and inspectors, `return` the reason.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CapabilityActionInput {
    /// save（保存自评）、submit（提交验收）、accept（登记验收结果）、return（退回修改）
    pub action: String,
    pub version: i64,
    /// 自评（save、submit；不提供的项目保持原样）
    #[serde(default)]
    pub items: Vec<ItemAnswer>,
    /// 验收结果：pass（达标）或 fail（未达标）
    #[serde(default)]
    pub result: Option<String>,
    /// 验收日期 YYYY-MM-DD
    #[serde(default)]
    pub accepted_on: Option<String>,
    /// 验收人员（姓名，多人以顿号或逗号分隔）
    #[serde(default)]
    pub inspectors: Option<String>,
    /// 验收意见
    #[serde(default)]
    pub remarks: Option<String>,
    /// 退回理由
    #[serde(default)]
    pub reason: Option<String>,
}

/// The answers applied to the items; unknown codes and long notes are refused by field.
fn apply_answers(items: &mut [ItemCheck], answers: &[ItemAnswer], e: &mut ValidationErrors) {
    for (k, ans) in answers.iter().enumerate() {
        let code = ans.code.trim();
        match items.iter_mut().find(|i| i.code == code) {
            None => e.add(
                &format!("items[{k}].code"),
                format!("创建标准中没有项目“{code}”"),
            ),
            Some(it) => {
                if ans.note.chars().count() > 500 {
                    e.add(
                        &format!("items[{k}].note"),
                        format!("“{}”的说明不超过500个字", it.name),
                    );
                }
                it.met = ans.met;
                it.note = ans.note.trim().to_string();
            }
        }
    }
}

impl App {
    /// Takes a step of assessment `id` (see [`CapabilityActionInput`]).
    pub fn capability_action(
        &self,
        caller: &Caller,
        id: i64,
        input: &CapabilityActionInput,
    ) -> Result<Assessment> {
        let before = self.store.get_capability_assessment(&caller.scope, id)?;
        let (a, action) = self.capability_next(caller, &before, input)?;
        Ok(self.store.update_assessment(
            &caller.change(&caller.scope, self),
            &a,
            action.as_str(),
        )?)
    }

    /// The assessment as the step `input` leaves it, checked (the caller's step in this
    /// state, every field), nothing written: the form's step and an import's rows.
    pub(crate) fn capability_next(
        &self,
        caller: &Caller,
        before: &Assessment,
        input: &CapabilityActionInput,
    ) -> Result<(Assessment, CapabilityAction)> {
        let Some(action) = CapabilityAction::parse(input.action.trim()) else {
            return Err(ValidationErrors::single(
                "action",
                "操作应为 save、submit、accept 或 return",
            )
            .into());
        };
        let mut a = before.clone();
        a.version = input.version;
        let mut e = ValidationErrors::new();
        let today = self.clock.today();
        match action {
            CapabilityAction::Save | CapabilityAction::Submit => {
                apply_answers(&mut a.items, &input.items, &mut e);
                a.status = CapabilityState::Draft;
                if action == CapabilityAction::Submit {
                    a.status = CapabilityState::Submitted;
                    a.submitted_on = Some(today);
                }
            }
            CapabilityAction::Accept => {
                let result = input.result.as_deref().and_then(AcceptanceResult::parse);
                if result.is_none() {
                    e.add("result", "请选择验收结果（达标或未达标）");
                }
                let day = match input.accepted_on.as_deref().map(str::trim) {
                    None | Some("") => {
                        e.add("accepted_on", "请填写验收日期");
                        None
                    }
                    Some(s) => match parse_date(s) {
                        Ok(d) if d > today => {
                            e.add("accepted_on", "验收日期不能晚于今天");
                            None
                        }
                        Ok(d) if before.submitted_on.is_some_and(|s| d < s) => {
                            e.add("accepted_on", "验收日期不能早于提交验收的日期");
                            None
                        }
                        Ok(d) => Some(d),
                        Err(m) => {
                            e.add("accepted_on", m);
                            None
                        }
                    },
                };
                let inspectors = input.inspectors.as_deref().unwrap_or("").trim();
                if inspectors.is_empty() {
                    e.add("inspectors", "请填写验收人员");
                } else if inspectors.chars().count() > 200 {
                    e.add("inspectors", "验收人员不超过200个字");
                }
                let remarks = input.remarks.as_deref().unwrap_or("").trim();
                if remarks.chars().count() > 1000 {
                    e.add("remarks", "验收意见不超过1000个字");
                }
                a.status = CapabilityState::Accepted;
                a.result = result;
                a.accepted_on = day;
                a.inspectors = inspectors.to_string();
                a.remarks = remarks.to_string();
            }
            CapabilityAction::Return => {
                let reason = input.reason.as_deref().unwrap_or("").trim();
                if reason.is_empty() {
                    e.add("reason", "请填写退回理由");
                } else if reason.chars().count() > 1000 {
                    e.add("reason", "退回理由不超过1000个字");
                }
                a.status = CapabilityState::Returned;
                a.return_reason = reason.to_string();
            }
        }
        // The step is the caller's in this state (the items as they will be saved decide
        // whether a submission is complete).
        Self::capability_step(caller, &a_with_state(&a, before.status), action)?;
        e.into_result()?;
        Ok((a, action))
    }

    /// Uploads an evidence file for one item of assessment `id`: whoever may save the
    /// self-assessment now; the file is checked by content and size before anything is written.
    pub fn attach_capability_file(
        &self,
        caller: &Caller,
        id: i64,
        item_code: &str,
        name: &str,
        data: Vec<u8>,
    ) -> Result<(Assessment, Attachment)> {
        let a = self.store.get_capability_assessment(&caller.scope, id)?;
        if Self::capability_step(caller, &a, CapabilityAction::Save).is_err() {
            return Err(AppError::Forbidden(
                "您无权为该自评上传佐证材料（已提交验收或不是本乡镇的自评）".into(),
            ));
        }
        let code = item_code.trim();
        let Some(item) = a.items.iter().find(|i| i.code == code) else {
            return Err(ValidationErrors::single("item", "请选择佐证材料所属的项目").into());
        };
        let file = crate::letters::checked_file(name, data, &[], &item.name)?;
        Ok(self.store.attach_capability_evidence(
            &caller.change(&caller.scope, self),
            id,
            code,
            &file,
        )?)
    }

    /// An evidence file of an assessment in the caller's scope.
    pub fn capability_file(&self, caller: &Caller, id: i64) -> Result<(Attachment, Vec<u8>)> {
        let (att, data) = self.store.attachment_data(&caller.scope, id)?;
        if att.entity != "capability" {
            return Err(AppError::NotFound);
        }
        Ok((att, data))
    }
}

/// The assessment as it will be saved, in the state it is in now (the facts of the step).
fn a_with_state(a: &Assessment, state: CapabilityState) -> Assessment {
    Assessment {
        status: state,
        ..a.clone()
    }
}
