//! Inspections (监督检查): checklist templates per sector (editable), inspection records,
//! findings that become hazards in one step, and the 现场检查记录 as a Word file.

use crate::hazards::HazardView;
use crate::{App, AppError, Caller, Result};
use anjian_domain::validation::{parse_date, required_text};
use anjian_domain::{Scope, ValidationErrors};
use anjian_store::hazards::{EventInput, HazardFields};
use anjian_store::inspections::{Finding, Inspection, NewInspection, Template};
use serde::{Deserialize, Serialize};

pub const KINDS: [(&str, &str); 5] = [
    ("routine", "日常检查"),
    ("special", "专项检查"),
    ("random", "双随机抽查"),
    ("recheck", "复查"),
    ("joint", "联合执法"),
];

/// Default checklist items per sector: (sector, [(item, basis)]).
const DEFAULT_TEMPLATES: &[(&str, &[(&str, &str)])] = &[
    (
        "hazchem",
        &[
            (
                "安全生产许可证、危险化学品经营许可证在有效期内",
                "《危险化学品安全管理条例》",
            ),
            (
                "主要负责人和安全管理人员经考核合格",
                "《安全生产法》第二十七条",
            ),
            (
                "储罐区可燃有毒气体检测报警装置完好并投用",
                "化工重大隐患判定标准",
            ),
            ("特殊作业按规定办理作业票", "GB 30871"),
            (
                "重点监管工艺自动化控制和紧急停车系统投用",
                "化工重大隐患判定标准",
            ),
        ],
    ),
    (
        "fire",
        &[
            ("疏散通道、安全出口畅通", "《消防法》第二十八条"),
            ("消防设施器材完好有效", "《消防法》第十六条"),
            ("电动自行车未在楼道、室内充电", "地方规定"),
            ("消防控制室值班人员持证上岗", "GB 25506"),
        ],
    ),
    (
        "gas",
        &[
            ("餐饮场所安装可燃气体报警装置", "城镇燃气安全专项整治要求"),
            ("软管无老化、未超期使用", "GB 29550"),
            ("气瓶存放间通风良好", "GB 50028"),
        ],
    ),
    (
        "construction",
        &[
            ("深基坑按方案支护、临边防护到位", "建质规〔2022〕2号"),
            ("起重机械安全装置齐全有效", "建质规〔2022〕2号"),
            ("施工临时用电符合规范", "JGJ 46"),
            ("高处作业人员正确使用安全带", "JGJ 80"),
        ],
    ),
    (
        "industry_trade",
        &[
            ("粉尘涉爆区域电气设备防爆", "工贸重大隐患判定标准"),
            ("除尘系统锁气卸灰装置完好", "工贸重大隐患判定标准"),
            ("有限空间作业审批、检测、监护", "工贸重大隐患判定标准"),
            ("特种作业人员持证上岗", "《安全生产法》第三十条"),
        ],
    ),
    (
        "mines",
        &[
            ("采场边坡参数符合设计", "金属非金属矿山重大隐患判定标准"),
            (
                "尾矿库安全超高和干滩长度满足设计",
                "金属非金属矿山重大隐患判定标准",
            ),
            ("爆破器材存放管理规范", "《民用爆炸物品安全管理条例》"),
        ],
    ),
    (
        "fireworks",
        &[
            ("零售点存量不超过核定限量", "烟花爆竹经营许可实施办法"),
            ("仓储场所防静电、防雷设施完好", "烟花爆竹重大隐患判定标准"),
            ("店面与居住场所有效分隔", "烟花爆竹重大隐患判定标准"),
        ],
    ),
];

/// Inserts the default templates missing from the store.
pub fn ensure_templates(app: &App) -> Result<usize> {
    let existing = app.store.list_templates(None)?;
    let scope = Scope::system();
    let change = app.system_change(&scope, "system");
    let mut n = 0;
    for (sector, items) in DEFAULT_TEMPLATES {
        let name = "通用检查表";
        if existing
            .iter()
            .any(|t| t.sector == *sector && t.name == name)
        {
            continue;
        }
        if !app.store.list_sectors()?.iter().any(|s| s.code == *sector) {
            continue;
        }
        let json: Vec<serde_json::Value> =
            items.iter().enumerate().map(|(i, (text, basis))| serde_json::json!({"code": (i + 1).to_string(), "text": text, "basis": basis})).collect();
        app.store.save_template(
            &change,
            sector,
            name,
            &serde_json::Value::Array(json).to_string(),
        )?;
        n += 1;
    }
    Ok(n)
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ItemResult {
    pub code: String,
    /// pass | fail | na
    pub result: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InspectionInput {
    #[serde(default)]
    pub enterprise_id: Option<i64>,
    #[serde(default)]
    pub region_code: Option<String>,
    #[serde(default)]
    pub site: Option<String>,
    pub sector: String,
    pub kind: String,
    #[serde(default)]
    pub enforcement: bool,
    pub inspected_on: String,
    pub inspectors: Vec<String>,
    #[serde(default)]
    pub template_id: Option<i64>,
    #[serde(default)]
    pub results: Vec<ItemResult>,
    #[serde(default)]
    pub findings: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub campaign: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FindingToHazard {
    #[serde(default = "general")]
    pub level: String,
    #[serde(default)]
    pub deadline: Option<String>,
}

fn general() -> String {
    "general".into()
}

impl App {
    fn require_inspector(&self, caller: &Caller) -> Result<Scope> {
        let s = caller.hazard_scope();
        if s.writable && caller.can(anjian_domain::scope::Permission::Supervise) {
            Ok(s)
        } else {
            Err(AppError::Forbidden(
                "仅监管部门、执法人员和乡镇可以记录监督检查".into(),
            ))
        }
    }

    pub fn templates(&self, sector: Option<&str>) -> Result<Vec<Template>> {
        Ok(self.store.list_templates(sector)?)
    }

    /// Replaces a sector's template items (admin).
    pub fn save_template(
        &self,
        caller: &Caller,
        sector: &str,
        name: &str,
        items: &[(String, String)],
    ) -> Result<Template> {
        caller.require(anjian_domain::scope::Permission::ManageOrganisation)?;
        let mut e = ValidationErrors::new();
        if !self.store.list_sectors()?.iter().any(|s| s.code == sector) {
            e.add("sector", "行业领域不存在");
        }
        let name = required_text(&mut e, "name", "检查表名称", name, 60);
        if items.is_empty() {
            e.add("items", "检查表至少需要一项");
        }
        for (i, (text, _)) in items.iter().enumerate() {
            if text.trim().is_empty() {
                e.add(&format!("items[{i}].text"), "检查内容不能为空");
            }
        }
        e.into_result()?;
        let json: Vec<serde_json::Value> = items.iter().enumerate().map(|(i, (t, b))| serde_json::json!({"code": (i + 1).to_string(), "text": t.trim(), "basis": b.trim()})).collect();
        Ok(self.store.save_template(
            &caller.change(&Scope::system(), self),
            sector,
            &name,
            &serde_json::Value::Array(json).to_string(),
        )?)
    }

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
                "检查类型应为 routine、special、random、recheck 或 joint",
            );
        }
        let mut inspectors: Vec<String> = input
            .inspectors
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        inspectors.dedup();
        let enforcement = input.enforcement || matches!(kind, "random" | "joint");
        if enforcement && inspectors.len() < 2 {
            e.add("inspectors", "行政执法检查须有两名以上执法人员");
        } else if inspectors.is_empty() {
            e.add("inspectors", "请填写检查人员");
        }
        let date = e.check("inspected_on", parse_date(&input.inspected_on));
        if date.is_some_and(|d| d > self.clock.today()) {
            e.add("inspected_on", "检查日期不能晚于今天");
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
                e.add(&format!("results.{code}"), "检查结果应为 pass、fail 或 na");
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

    pub fn inspection(&self, caller: &Caller, id: i64) -> Result<(Inspection, Vec<Finding>)> {
        Ok(self.store.get_inspection(&caller.scope, id)?)
    }

    pub fn inspections(
        &self,
        caller: &Caller,
        enterprise_id: Option<i64>,
    ) -> Result<Vec<Inspection>> {
        crate::every(
            |k| self.store.list_inspections(&caller.scope, enterprise_id, k),
            Ok,
        )
    }

    /// One page of the inspections in scope, newest first.
    pub fn inspections_page(
        &self,
        caller: &Caller,
        enterprise_id: Option<i64>,
        k: &crate::Keyset,
    ) -> Result<crate::Page<Inspection>> {
        Ok(self
            .store
            .list_inspections(&caller.scope, enterprise_id, k)?)
    }

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
            e.add("level", "隐患等级应为 general 或 major");
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

    /// The 现场检查记录 as a Word file.
    pub fn inspection_record_docx(&self, caller: &Caller, id: i64) -> Result<Vec<u8>> {
        let (i, findings) = self.store.get_inspection(&caller.scope, id)?;
        let name = self.instance_name()?;
        let inspectors: Vec<String> = serde_json::from_str(&i.inspectors).unwrap_or_default();
        let items: Vec<serde_json::Value> = serde_json::from_str(&i.checklist).unwrap_or_default();
        let dept = match i.department_id {
            Some(d) => self
                .store
                .get_department(&Scope::system(), d)
                .map(|d| d.name)
                .unwrap_or_default(),
            None => format!("{name}安全生产委员会办公室"),
        };
        let kind = KINDS
            .iter()
            .find(|(k, _)| *k == i.kind)
            .map(|(_, l)| *l)
            .unwrap_or("");
        let mut body = vec![
            format!(
                "被检查单位：{}",
                i.enterprise_name
                    .clone()
                    .unwrap_or_else(|| "（公共区域）".into())
            ),
            format!("检查场所：{}（{}）", i.site, i.region_name),
            format!(
                "检查时间：{}　　检查类型：{kind}{}",
                i.inspected_on,
                if i.enforcement {
                    "（行政执法检查）"
                } else {
                    ""
                }
            ),
            format!("检查人员：{}", inspectors.join("、")),
            "检查情况：".to_string(),
        ];
        if !i.summary.is_empty() {
            body.push(i.summary.clone());
        }
        let rows: Vec<Vec<String>> = items
            .iter()
            .map(|it| {
                let r = match it["result"].as_str() {
                    Some("pass") => "符合",
                    Some("fail") => "不符合",
                    _ => "不适用",
                };
                vec![
                    it["code"].as_str().unwrap_or_default().to_string(),
                    it["text"].as_str().unwrap_or_default().to_string(),
                    r.to_string(),
                    it["note"].as_str().unwrap_or_default().to_string(),
                ]
            })
            .collect();
        let mut closing = vec![format!("发现问题 {} 项：", findings.len())];
        closing.extend(
            findings
                .iter()
                .enumerate()
                .map(|(k, f)| format!("{}. {}", k + 1, f.description)),
        );
        closing.push("被检查单位负责人（签字）：　　　　　　检查人员（签字）：".into());
        body.extend(closing);
        let headers = ["序号", "检查内容", "结果", "说明"];
        crate::docx::document(
            "现场检查记录",
            &format!("{dept}　检查记录第{}号", i.id),
            &body,
            (!rows.is_empty()).then_some((&headers[..], &rows[..])),
            &dept,
            &i.inspected_on.to_string(),
        )
    }
}
