//! The county's report template: its own edit, or the shipped one.

use super::*;

impl App {
    /// The county's annual report template (its own edit, or the shipped one).
    pub fn report_template(&self) -> Result<String> {
        Ok(self
            .store
            .setting(REPORT_TEMPLATE_SETTING)?
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_ANNUAL_TEMPLATE.to_string()))
    }

    /// Saves an edited template (安委办 only) after rendering it once for the current year,
    /// so a broken placeholder is refused with its message instead of breaking the report.
    pub fn set_report_template(&self, caller: &Caller, text: &str) -> Result<()> {
        if !caller.can(anjian_domain::scope::Permission::ConfigureCounty) {
            return Err(AppError::Forbidden("只有安委办可以修改报告模板".into()));
        }
        let year = chrono::Datelike::year(&self.clock.today());
        let period = Period::year(year).ok_or_else(|| AppError::Internal("year".into()))?;
        self.render_report_with(caller, &period, text)
            .map_err(|e| match e {
                AppError::BadRequest(m) => {
                    AppError::Validation(anjian_domain::ValidationErrors::single("template", m))
                }
                other => other,
            })?;
        let scope = caller.scope.clone();
        self.store
            .set_setting(&caller.change(&scope, self), REPORT_TEMPLATE_SETTING, text)?;
        Ok(())
    }
}
