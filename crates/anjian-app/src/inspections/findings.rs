//! A finding becomes a hazard in one step.

use super::*;

impl App {
    /// Turns a finding into a hazard (source: inspection) in one step.
    pub fn finding_to_hazard(
        &self,
        caller: &Caller,
        inspection_id: i64,
        finding_id: i64,
        input: &FindingToHazard,
    ) -> Result<HazardView> {
        let scope = self.require_inspector(caller)?;
        let (i, findings) = self.store.get_inspection(&caller.scope, inspection_id)?;
        let f = findings
            .iter()
            .find(|f| f.id == finding_id)
            .ok_or(AppError::NotFound)?;
        if f.hazard_id.is_some() {
            return Err(AppError::Conflict("该问题已转为隐患".into()));
        }
        let mut e = ValidationErrors::new();
        let level = anjian_domain::hazard::Level::parse(&input.level);
        if level.is_none() {
            e.add("level", "隐患等级应为一般隐患或重大隐患");
        }
        let deadline = match input
            .deadline
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            Some(d) => match parse_date(d) {
                Ok(d) if d >= i.inspected_on => Some(d),
                Ok(_) => {
                    e.add("deadline", "整改期限不能早于检查日期");
                    None
                }
                Err(m) => {
                    e.add("deadline", m);
                    None
                }
            },
            None => None,
        };
        e.into_result()?;
        let fields = HazardFields {
            region_code: i.region_code.clone(),
            enterprise_id: i.enterprise_id,
            department_id: i.department_id,
            sector: i.sector.clone(),
            level: level.unwrap_or(anjian_domain::hazard::Level::General),
            source: anjian_domain::hazard::Source::Inspection,
            description: f.description.clone(),
            location: i.site.clone(),
            found_on: i.inspected_on,
            deadline,
            deadline_basis: deadline.as_ref().map(|_| "date".to_string()),
            deadline_rule: if deadline.is_some() {
                format!("监督检查（检查记录 {}）责令限期整改", i.id)
            } else {
                String::new()
            },
            status: anjian_domain::hazard::Status::Registered,
            responsible_unit: i.enterprise_name.clone().unwrap_or_default(),
            responsible_person: String::new(),
            measures: String::new(),
            funds_planned: None,
            funds_spent: None,
            emergency_plan: String::new(),
            campaign: i.campaign.clone(),
            closed_on: None,
            point: None,
        };
        let ev = EventInput {
            action: "create".into(),
            note: format!("由监督检查记录 {} 发现的问题转入", i.id),
            data: Some(serde_json::json!({"inspection_id": i.id, "finding_id": f.id})),
        };
        let h = self.store.hazard_from_finding(
            &caller.change(&scope, self),
            inspection_id,
            finding_id,
            &fields,
            &ev,
        )?;
        self.hazard_view(caller, h)
    }
}
