//! Recording an inspection: its kind, officers and other people, checklist results and
//! findings.

use super::*;

impl App {
    pub fn record_inspection(
        &self,
        caller: &Caller,
        input: &InspectionInput,
    ) -> Result<Inspection> {
        let scope = self.require_inspector(caller)?;
        let mut e = ValidationErrors::new();
        let kind = input.kind.trim();
        if !KINDS.iter().any(|(k, _)| *k == kind) {
            e.add(
                "kind",
                "请选择检查类型（日常检查、专项检查、双随机抽查、复查或联合执法）",
            );
        }
        let mut inspectors: Vec<String> = Vec::new();
        for name in input.inspectors.iter().map(|s| s.trim()) {
            if name.chars().count() > 30 {
                e.add(
                    "inspectors",
                    format!(
                        "检查人员“{}…”的姓名过长",
                        name.chars().take(10).collect::<String>()
                    ),
                );
            } else if !name.is_empty() && !inspectors.iter().any(|n| n == name) {
                inspectors.push(name.to_string());
            }
        }
        let enforcement = input.enforcement || matches!(kind, "random" | "joint");
        let date = e.check("inspected_on", parse_date(&input.inspected_on));
        if date.is_some_and(|d| d > self.clock.today()) {
            e.add("inspected_on", "检查日期不能晚于今天");
        }
        let officers =
            self.check_officers(caller, &input.officer_ids, date, enforcement, &mut e)?;
        if !enforcement && input.officer_ids.is_empty() && inspectors.is_empty() {
            e.add("inspectors", "请选择执法人员或填写检查人员");
        }
        let sector = input.sector.trim().to_string();
        if !self.store.list_sectors()?.iter().any(|s| s.code == sector) {
            e.add("sector", "行业领域不存在");
        }
        let (region, site) = match input.enterprise_id {
            Some(eid) => match self.store.get_enterprise(&caller.scope, eid) {
                Ok(ent) => (
                    input
                        .region_code
                        .clone()
                        .filter(|r| !r.is_empty())
                        .unwrap_or(ent.region_code.clone()),
                    input.site.clone().unwrap_or(ent.address.clone()),
                ),
                Err(_) => {
                    e.add("enterprise_id", "企业不存在或不在您的管辖范围内");
                    (String::new(), String::new())
                }
            },
            None => (
                input.region_code.clone().unwrap_or_default(),
                input.site.clone().unwrap_or_default(),
            ),
        };
        if anjian_domain::RegionCode::parse(&region).is_err()
            || !self.store.region_exists(&region)?
        {
            e.add("region_code", "请指定被检查单位或有效的区划");
        }
        if input.enterprise_id.is_none() && site.trim().is_empty() {
            e.add("site", "请填写检查场所");
        }
        let template = match input.template_id {
            Some(t) => match self.store.get_template(t) {
                Ok(t) if t.sector == sector => Some(t),
                Ok(_) => {
                    e.add("template_id", "检查表与行业领域不一致");
                    None
                }
                Err(_) => {
                    e.add("template_id", "检查表不存在");
                    None
                }
            },
            None => None,
        };
        let items: Vec<serde_json::Value> = template
            .as_ref()
            .and_then(|t| serde_json::from_str(&t.items).ok())
            .unwrap_or_default();
        let mut checklist = Vec::new();
        let mut findings = Vec::new();
        for item in &items {
            let code = item["code"].as_str().unwrap_or_default();
            let r = input.results.iter().find(|r| r.code == code);
            let result = r.map(|r| r.result.as_str()).unwrap_or("na");
            if !matches!(result, "pass" | "fail" | "na") {
                e.add(
                    &format!("results.{code}"),
                    "检查结果应为符合、不符合或不适用",
                );
            }
            let note = r.map(|r| r.note.trim().to_string()).unwrap_or_default();
            if result == "fail" {
                let text = item["text"].as_str().unwrap_or_default();
                findings.push((
                    code.to_string(),
                    if note.is_empty() {
                        format!("不符合：{text}")
                    } else {
                        format!("{note}（{text}）")
                    },
                ));
            }
            checklist.push(serde_json::json!({"code": code, "text": item["text"], "basis": item["basis"], "result": result, "note": note}));
        }
        for r in &input.results {
            if !items
                .iter()
                .any(|i| i["code"].as_str() == Some(r.code.as_str()))
            {
                e.add(&format!("results.{}", r.code), "检查表中没有该项");
            }
        }
        for f in input
            .findings
            .iter()
            .map(|f| f.trim())
            .filter(|f| !f.is_empty())
        {
            findings.push((String::new(), f.chars().take(500).collect()));
        }
        self.check_campaign(&mut e, &region, input.campaign.as_deref())?;
        e.into_result()?;
        let Some(inspected_on) = date else {
            return Err(ValidationErrors::single("inspected_on", "请填写检查日期").into());
        };
        let i = NewInspection {
            region_code: region,
            enterprise_id: input.enterprise_id,
            site,
            department_id: caller.user.department_id,
            sector,
            kind: kind.into(),
            enforcement,
            inspected_on,
            inspectors: serde_json::Value::from(inspectors).to_string(),
            officers,
            template_id: template.map(|t| t.id),
            checklist: serde_json::Value::Array(checklist).to_string(),
            summary: input
                .summary
                .clone()
                .unwrap_or_default()
                .trim()
                .chars()
                .take(2000)
                .collect(),
            campaign: input.campaign.clone().filter(|c| !c.trim().is_empty()),
            findings,
        };
        self.store
            .create_inspection(&caller.change(&scope, self), &i)
            .map_err(|e| match e {
                anjian_store::StoreError::Forbidden => {
                    AppError::Forbidden("被检查单位不在您的管辖范围内".into())
                }
                other => other.into(),
            })
    }
}
