//! Conflicts of interest (回避) between inspectors and enterprises, which every draw respects.

use super::*;

impl App {
    pub fn add_inspector_conflict(
        &self,
        caller: &Caller,
        user_id: i64,
        enterprise_id: i64,
        reason: &str,
    ) -> Result<()> {
        Self::ensure_draw_role(caller)?;
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 200 {
            return Err(ValidationErrors::single("reason", "请填写回避事由（200字以内）").into());
        }
        let u = self
            .store
            .get_user(&Scope::system(), user_id)
            .map_err(|_| ValidationErrors::single("user_id", "执法人员不存在"))?;
        if u.role != "inspector" {
            return Err(ValidationErrors::single("user_id", "该用户不是执法人员").into());
        }
        Ok(self.store.add_inspector_conflict(
            &caller.change(&caller.scope, self),
            user_id,
            enterprise_id,
            reason,
        )?)
    }
}
