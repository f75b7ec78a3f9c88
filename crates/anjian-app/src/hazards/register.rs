//! Registering a hazard: the input validated (region, sector, level, source, dates,
//! enterprise, department, the 五落实 fields and the campaign, with what it looks up loaded
//! once) and written with its first event.

use super::*;

impl App {
    pub(crate) fn validate_hazard(
        &self,
        caller: &Caller,
        input: &HazardInput,
    ) -> Result<HazardFields> {
        let lk = self.hazard_lookups(false)?;
        self.validate_hazard_with(caller, input, &lk)
    }

    /// What validating a hazard looks up, loaded once (per registration, or per import
    /// for every row): sectors, campaigns and, for imports, every region code.
    pub(crate) fn hazard_lookups(&self, all_regions: bool) -> Result<HazardLookups> {
        Ok(HazardLookups {
            sectors: self.store.list_sectors()?,
            campaigns: self.store.list_campaigns(&Scope::system())?,
            regions: if all_regions {
                Some(self.store.all_region_codes()?.into_iter().collect())
            } else {
                None
            },
        })
    }

    pub(super) fn validate_hazard_with(
        &self,
        caller: &Caller,
        input: &HazardInput,
        lk: &HazardLookups,
    ) -> Result<HazardFields> {
        let mut e = ValidationErrors::new();
        let region = e.check(
            "region_code",
            RegionCode::parse(&input.region_code).map_err(|m| format!("所在区划：{m}")),
        );
        if let Some(r) = &region {
            if r.level() < RegionLevel::Township {
                e.add("region_code", "所在区划应为乡镇（街道）或村（社区）、网格");
            } else if !match &lk.regions {
                Some(set) => set.contains(r.as_str()),
                None => self.store.region_exists(r.as_str())?,
            } {
                e.add("region_code", format!("区划 {r} 不存在"));
            }
        }
        let sector = input.sector.trim().to_string();
        if !lk.sectors.iter().any(|s| s.code == sector && s.active) {
            e.add("sector", format!("行业领域“{sector}”不存在"));
        }
        let level = Level::parse(input.level.trim());
        if level.is_none() {
            e.add("level", "隐患等级应为 general（一般）或 major（重大）");
        }
        let source = Source::parse(input.source.trim());
        if source.is_none() {
            e.add("source", "隐患来源应为 inspection、self_check、public_report、media、transfer、higher_assignment 或 lower_report");
        }
        let description =
            required_text(&mut e, "description", "隐患描述", &input.description, 2000);
        let found_on = e.check("found_on", parse_date(&input.found_on));
        if let Some(f) = found_on
            && f > self.today()
        {
            e.add("found_on", "发现日期不能晚于今天");
        }
        let deadline = match found_on {
            Some(start) => self.resolve_deadline(
                &mut e,
                start,
                &input.deadline,
                input.deadline_days,
                &input.deadline_basis,
                DEADLINE_RULE_ORDER,
            )?,
            None => None,
        };
        // A deadline already past is most often a slip of the date picker: it is taken only
        // when confirmed (a hazard recorded after the fact), through the API as on the form.
        if let Some((d, _, _)) = &deadline
            && *d < self.today()
            && !input.confirm_past_deadline
        {
            e.add("deadline", PAST_DEADLINE_UNCONFIRMED);
        }
        // Read in the caller's scope: an enterprise outside it answers as one that does not
        // exist, so its place cannot be learned from the message (issue 22).
        if let Some(eid) = input.enterprise_id {
            match self.store.get_enterprise(&caller.scope, eid) {
                Ok(ent) => {
                    if let Some(r) = &region
                        && !r.contains(
                            &RegionCode::parse(&ent.region_code).map_err(AppError::Internal)?,
                        )
                        && r.as_str() != ent.region_code
                    {
                        e.add(
                            "region_code",
                            format!("与企业所在区划（{}）不一致", ent.region_name),
                        );
                    }
                }
                Err(_) => e.add("enterprise_id", "企业不存在"),
            }
        }
        if let Some(d) = input.department_id
            && self
                .store
                .get_department(&Scope::system(), d, self.clock.today())
                .is_err()
        {
            e.add("department_id", "部门不存在");
        }
        // Enterprises register their own self-check hazards only.
        if caller.can(Permission::RegisterOwnHazardsOnly) {
            if input.enterprise_id != caller.user.enterprise_id {
                e.add("enterprise_id", "企业用户只能登记本企业的隐患");
            }
            if source != Some(Source::SelfCheck) {
                e.add(
                    "source",
                    "企业用户登记的隐患来源应为 self_check（企业自查）",
                );
            }
        }
        let location = opt_text(&mut e, "location", "隐患部位", &input.location, 200);
        let responsible_unit = opt_text(
            &mut e,
            "responsible_unit",
            "整改责任单位",
            &input.responsible_unit,
            100,
        );
        let responsible_person = opt_text(
            &mut e,
            "responsible_person",
            "整改责任人",
            &input.responsible_person,
            30,
        );
        let measures = opt_text(&mut e, "measures", "整改措施", &input.measures, 2000);
        let emergency_plan = opt_text(
            &mut e,
            "emergency_plan",
            "应急预案",
            &input.emergency_plan,
            2000,
        );
        let funds_planned = money(&mut e, "funds_planned", input.funds_planned);
        let campaign = input
            .campaign
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.chars().take(60).collect::<String>());
        crate::work::check_campaign_in(
            &mut e,
            &input.region_code,
            campaign.as_deref(),
            &lk.campaigns,
        );
        let point = self.check_coordinates(
            &mut e,
            input.region_code.trim(),
            input.lng.as_deref().unwrap_or(""),
            input.lat.as_deref().unwrap_or(""),
        )?;
        e.into_result()?;
        let (Some(region), Some(level), Some(source), Some(found_on)) =
            (region, level, source, found_on)
        else {
            return Err(ValidationErrors::single("_", "数据无效").into());
        };
        let (deadline, deadline_basis, deadline_rule) = match deadline {
            Some((d, b, r)) => (Some(d), Some(b), r),
            None => (None, None, String::new()),
        };
        Ok(HazardFields {
            region_code: region.as_str().to_string(),
            enterprise_id: input.enterprise_id,
            department_id: input.department_id.or(caller.user.department_id),
            sector,
            level,
            source,
            description,
            location,
            found_on,
            deadline,
            deadline_basis,
            deadline_rule,
            status: Status::Registered,
            responsible_unit,
            responsible_person,
            measures,
            funds_planned,
            funds_spent: None,
            emergency_plan,
            campaign,
            closed_on: None,
            point,
        })
    }
}

/// Lookups for validating hazards (see [`App::hazard_lookups`]).
pub(crate) struct HazardLookups {
    pub(super) sectors: Vec<anjian_store::sectors::Sector>,
    pub(super) campaigns: Vec<anjian_store::work::Campaign>,
    pub(super) regions: Option<std::collections::HashSet<String>>,
}

impl App {
    pub fn create_hazard(&self, caller: &Caller, input: &HazardInput) -> Result<HazardView> {
        let scope = self.require_hazard_writer(caller)?;
        let f = self.validate_hazard(caller, input)?;
        if !scope.admits(&f.region_code, &[f.sector.as_str()], f.enterprise_id) {
            return Err(AppError::Forbidden(
                "该隐患的区划、行业领域或企业不在您的管辖范围内".into(),
            ));
        }
        let ev = EventInput {
            action: "create".into(),
            note: String::new(),
            data: None,
        };
        let h = self
            .store
            .create_hazard(&caller.change(&scope, self), &f, &ev)?;
        self.view(caller, h)
    }
}
