//! Campaigns (专项行动): registering them, and checking the campaign tag a record carries.

use super::*;

/// The same check against a list of campaigns already loaded.
pub fn check_campaign_in(
    e: &mut ValidationErrors,
    region_code: &str,
    campaign: Option<&str>,
    all: &[Campaign],
) {
    let Some(code) = campaign.map(str::trim).filter(|c| !c.is_empty()) else {
        return;
    };
    let county = RegionCode::parse(region_code)
        .ok()
        .and_then(|r| r.county())
        .map(|c| c.as_str().to_string());
    if !all
        .iter()
        .any(|c| c.code == code && Some(&c.county_code) == county.as_ref())
    {
        e.add(
            "campaign",
            format!("专项行动“{code}”不存在，请先在“专项行动”中登记"),
        );
    }
}

impl App {
    /// Checks that a campaign tag names a campaign of the county the region lies in.
    pub fn check_campaign(
        &self,
        e: &mut ValidationErrors,
        region_code: &str,
        campaign: Option<&str>,
    ) -> Result<()> {
        if campaign.is_some_and(|c| !c.trim().is_empty()) {
            let all = self.store.list_campaigns(&Scope::system())?;
            check_campaign_in(e, region_code, campaign, &all);
        }
        Ok(())
    }

    pub fn campaigns(&self, caller: &Caller) -> Result<Vec<Campaign>> {
        Ok(self.store.list_campaigns(&caller.scope)?)
    }

    /// Registers a campaign (安委办 only).
    pub fn create_campaign(&self, caller: &Caller, input: &CampaignInput) -> Result<Campaign> {
        if !caller.can(anjian_domain::scope::Permission::ConfigureCounty) {
            return Err(AppError::Forbidden("只有安委办可以登记专项行动".into()));
        }
        let mut e = ValidationErrors::new();
        let code = input.code.trim();
        if code.is_empty() || code.chars().count() > 40 || code.contains(char::is_whitespace) {
            e.add("code", "请填写专项行动代码（不含空格，40字以内）");
        }
        if input.name.trim().is_empty() {
            e.add("name", "请填写专项行动名称");
        }
        let (from, to) = (day(&input.starts_on), day(&input.ends_on));
        if from.is_none() {
            e.add("starts_on", "开始日期格式应为 YYYY-MM-DD");
        }
        if to.is_none() {
            e.add("ends_on", "结束日期格式应为 YYYY-MM-DD");
        }
        if let (Some(a), Some(b)) = (from, to)
            && b < a
        {
            e.add("ends_on", "结束日期不能早于开始日期");
        }
        let county = self
            .root_region()?
            .and_then(|r| r.county())
            .or_else(|| {
                caller
                    .scope
                    .region_prefixes
                    .first()
                    .and_then(|p| RegionCode::parse(&format!("{p:0<12}")).ok())
                    .and_then(|r| r.county())
            })
            .ok_or_else(|| AppError::BadRequest("尚未设置本级区划".into()))?;
        if self
            .store
            .list_campaigns(&Scope::system())?
            .iter()
            .any(|c| c.code == code && c.county_code == county.as_str())
        {
            e.add("code", "专项行动代码已存在");
        }
        e.into_result().map_err(AppError::Validation)?;
        let (Some(starts_on), Some(ends_on)) = (from, to) else {
            return Err(
                ValidationErrors::single("starts_on", "开始日期格式应为 YYYY-MM-DD").into(),
            );
        };
        let c = Campaign {
            county_code: county.as_str().to_string(),
            code: code.to_string(),
            name: input.name.trim().to_string(),
            starts_on,
            ends_on,
            units: input.units.trim().to_string(),
            description: input.description.trim().to_string(),
            ..Campaign::default()
        };
        Ok(self
            .store
            .create_campaign(&caller.change(&caller.scope, self), &c)?)
    }
}
