//! A draw's view and its steps after the commitment: drawn with public entropy, then published.

use super::*;

impl App {
    pub fn draw_view(&self, caller: &Caller, id: i64) -> Result<DrawView> {
        let (draw, tasks) = self.store.get_draw(&caller.scope, id)?;
        let today = self.clock.today();
        let publish_overdue =
            draw.status == DrawState::Drawn && draw.publish_due.is_some_and(|d| d < today);
        let allowed_actions = anjian_domain::workflow::offered::<DrawFlow>(
            &facts(caller, &draw),
            &caller.actor_in_region(&draw.region_code),
        )
        .into_iter()
        .map(DrawAction::as_str)
        .collect();
        Ok(DrawView {
            status_label: draw.status.label(),
            draw,
            tasks,
            publish_overdue,
            algorithm: draw::ALGORITHM,
            allowed_actions,
        })
    }

    /// Every draw in scope.
    pub fn draws(&self, caller: &Caller) -> Result<Vec<Draw>> {
        crate::every(|k| self.store.list_draws(&caller.scope, k), Ok)
    }

    /// One page of the draws in scope, newest first.
    pub fn draws_page(&self, caller: &Caller, k: &crate::Keyset) -> Result<crate::Page<Draw>> {
        Ok(self.store.list_draws(&caller.scope, k)?)
    }

    /// Reveals the secret and draws with the given public entropy.
    pub fn run_draw(&self, caller: &Caller, id: i64, entropy: &str) -> Result<DrawView> {
        Self::ensure_draw_role(caller)?;
        let entropy = entropy.trim();
        if entropy.chars().count() > 200 {
            return Err(ValidationErrors::single("entropy", "公开随机数不能超过200字").into());
        }
        let (d, _) = self.store.get_draw(&caller.scope, id)?;
        transition::<DrawFlow>(
            &facts(caller, &d),
            DrawAction::Draw,
            &caller.actor_in_region(&d.region_code),
        )?;
        let secret = self.store.draw_secret(&caller.scope, id)?;
        let inputs: DrawInputs =
            serde_json::from_str(&d.inputs).map_err(|e| AppError::Internal(e.to_string()))?;
        let tasks = draw::run(&inputs, draw::seed(&secret, entropy)).map_err(draw_error)?;
        let today = self.clock.today();
        let days = self
            .store
            .setting(PUBLICITY_WORKING_DAYS)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(20);
        let due = self.add_working_days(today, days)?;
        let rows: Vec<(String, i64, String)> = tasks
            .iter()
            .map(|t| {
                (
                    t.stratum.clone(),
                    t.enterprise_id,
                    serde_json::to_string(&t.inspectors).unwrap_or_default(),
                )
            })
            .collect();
        let result =
            serde_json::to_string(&tasks).map_err(|e| AppError::Internal(e.to_string()))?;
        let outcome = DrawOutcome {
            entropy: entropy.to_string(),
            result,
            drawn_on: today,
            publish_due: due,
            tasks: rows,
        };
        self.store
            .complete_draw(&caller.change(&caller.scope, self), id, &outcome)?;
        self.draw_view(caller, id)
    }

    pub fn publish_draw(
        &self,
        caller: &Caller,
        id: i64,
        on: &str,
        place: &str,
    ) -> Result<DrawView> {
        Self::ensure_draw_role(caller)?;
        let (d, _) = self.store.get_draw(&caller.scope, id)?;
        let mut e = ValidationErrors::new();
        let day = match parse_date(on.trim()) {
            Ok(x) if x > self.clock.today() => {
                e.add("published_on", "公示日期不能晚于今天");
                None
            }
            Ok(x) if d.drawn_on.is_some_and(|dr| x < dr) => {
                e.add("published_on", "公示日期不能早于抽取日期");
                None
            }
            Ok(x) => Some(x),
            Err(m) => {
                e.add("published_on", m);
                None
            }
        };
        let place = place.trim();
        if place.is_empty() || place.chars().count() > 200 {
            e.add(
                "published_where",
                "请填写公示载体（如国家企业信用信息公示系统、政府网站）",
            );
        }
        e.into_result()?;
        transition::<DrawFlow>(
            &facts(caller, &d),
            DrawAction::Publish,
            &caller.actor_in_region(&d.region_code),
        )?;
        let Some(day) = day else {
            return Err(ValidationErrors::single("published_on", "请填写公示日期").into());
        };
        self.store
            .publish_draw(&caller.change(&caller.scope, self), id, day, place)?;
        self.draw_view(caller, id)
    }
}
