//! Enforcement documents (执法文书): issued from an inspection, hazard or case with the
//! next number of the department's series, rendered as Word, and served (送达) once.
//!
//! Numbers follow `{prefix}{word}〔{year}〕{seq}号`; the prefix is configured per
//! department (`PUT /api/v1/departments/{id}/document-prefix`) and defaults to the first
//! character of the county's name plus the department's short name without its 局/大队
//! suffix (e.g. 樟应急). Numbering is gap-free and unique per department, type and year
//! (see the store).

use crate::{App, AppError, Caller, Result};
use anjian_domain::validation::parse_date;
use anjian_domain::{Scope, ValidationErrors};
use anjian_store::documents::{Document, NewDocument};
use chrono::Datelike;
use serde::{Deserialize, Serialize};

mod catalogue;
pub use catalogue::{
    DOC_TYPES, DocType, ELECTRONIC_SERVICE, PLACEHOLDERS, SERVICE_METHODS, doc_type,
};
use catalogue::{check_template, default_template, render_template, template_key};

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueInput {
    pub doc_type: String,
    pub entity: String,
    pub entity_id: i64,
    /// Issuing department; defaults to the record's department, then the caller's.
    #[serde(default)]
    pub department_id: Option<i64>,
    /// Body text; defaults to one generated from the record.
    #[serde(default)]
    pub body: Option<String>,
    /// Date of issue; default today.
    #[serde(default)]
    pub date: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceInput {
    pub served_on: String,
    pub served_to: String,
    pub method: String,
    /// For electronic service: the party agreed in writing (行政处罚法 art. 61).
    #[serde(default)]
    pub written_consent: bool,
}

/// What an issued document is about, taken from its record.
struct Source {
    region_code: String,
    sector: String,
    enterprise_id: Option<i64>,
    department_id: Option<i64>,
    party: String,
    body: String,
    /// Template placeholder values from the record.
    values: Vec<(&'static str, String)>,
}

/// A document type with the county's template, if any.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TemplateView {
    pub doc_type: &'static str,
    pub title: &'static str,
    pub template: Option<String>,
}

fn strip_suffix(short: &str) -> String {
    let mut s = short.trim().to_string();
    for suffix in ["管理局", "大队", "局", "委员会", "办公室", "办"] {
        if s.chars().count() > suffix.chars().count() && s.ends_with(suffix) {
            s.truncate(s.len() - suffix.len());
            break;
        }
    }
    s
}

impl App {
    fn ensure_issuer(caller: &Caller) -> Result<()> {
        if caller.is_enforcer() {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "仅负有监管职责的部门和执法人员可以制发执法文书".into(),
            ))
        }
    }

    fn party_name(&self, scope: &Scope, enterprise_id: Option<i64>, fallback: &str) -> String {
        enterprise_id
            .and_then(|id| self.store.get_enterprise(scope, id).ok())
            .map(|e| e.name)
            .unwrap_or_else(|| fallback.to_string())
    }

    fn source(&self, caller: &Caller, entity: &str, id: i64) -> Result<Source> {
        let scope = &caller.scope;
        Ok(match entity {
            "inspection" => {
                let (i, findings) = self.store.get_inspection(scope, id)?;
                let mut body = format!(
                    "{}，我单位对你单位（{}）进行了检查，发现下列问题：",
                    i.inspected_on, i.site
                );
                for (k, f) in findings.iter().enumerate() {
                    body.push_str(&format!("{}. {}；", k + 1, f.description));
                }
                if findings.is_empty() {
                    body.push_str("未发现问题。");
                }
                let found: Vec<String> = findings
                    .iter()
                    .enumerate()
                    .map(|(k, f)| format!("{}. {}", k + 1, f.description))
                    .collect();
                let values = vec![
                    ("检查日期", i.inspected_on.to_string()),
                    ("检查场所", i.site.clone()),
                    ("发现问题", found.join("；")),
                ];
                Source {
                    values,
                    party: self.party_name(scope, i.enterprise_id, &i.site),
                    region_code: i.region_code,
                    sector: i.sector,
                    enterprise_id: i.enterprise_id,
                    department_id: i.department_id,
                    body,
                }
            }
            "hazard" => {
                let h = self.store.get_hazard(scope, id)?;
                let body = format!(
                    "你单位存在下列事故隐患：{}（{}）。{}",
                    h.description,
                    h.location,
                    match &h.deadline {
                        Some(d) =>
                            format!("责令于{d}前整改完毕，达到有关法律法规规章和标准规定的要求。"),
                        None => "责令立即整改。".to_string(),
                    }
                );
                let values = vec![
                    ("隐患", h.description.clone()),
                    ("隐患部位", h.location.clone()),
                    (
                        "整改期限",
                        h.deadline
                            .map(|d| d.to_string())
                            .unwrap_or_else(|| "立即".into()),
                    ),
                ];
                Source {
                    values,
                    party: self.party_name(scope, h.enterprise_id, &h.location),
                    region_code: h.region_code,
                    sector: h.sector,
                    enterprise_id: h.enterprise_id,
                    department_id: h.department_id,
                    body,
                }
            }
            "case" => {
                let (c, _) = self.store.get_case(scope, id)?;
                let body = format!(
                    "当事人：{}。违法事实：{}。依据：{}。",
                    c.party_name, c.facts, c.legal_basis
                );
                let measures: Vec<&str> = c
                    .measures
                    .split(',')
                    .filter(|m| !m.is_empty())
                    .map(|m| {
                        crate::cases::MEASURES
                            .iter()
                            .find(|(k, _)| *k == m)
                            .map(|(_, l)| *l)
                            .unwrap_or(m)
                    })
                    .collect();
                let values = vec![
                    ("违法事实", c.facts.clone()),
                    ("处罚依据", c.legal_basis.clone()),
                    ("罚款", anjian_domain::cases::fen_text(c.fine_fen)),
                    ("处罚种类", measures.join("、")),
                ];
                Source {
                    values,
                    party: c.party_name,
                    region_code: c.region_code,
                    sector: c.sector,
                    enterprise_id: c.enterprise_id,
                    department_id: c.department_id,
                    body,
                }
            }
            "transfer" => {
                let t = self.store.get_transfer(scope, id)?;
                let crime = crate::transfers::CRIME_TYPES
                    .iter()
                    .find(|(k, _)| *k == t.crime_type)
                    .map(|(_, l)| *l)
                    .unwrap_or("");
                let department_id = match t.case_id {
                    Some(c) => self.store.get_case(scope, c)?.0.department_id,
                    None => None,
                };
                Source {
                    body: format!("{}涉嫌{crime}。事实：{}", t.subject, t.facts),
                    values: vec![
                        ("违法事实", t.facts.clone()),
                        ("罪名", crime.to_string()),
                        ("移送人数", t.persons.to_string()),
                    ],
                    party: t.subject,
                    region_code: t.region_code,
                    sector: t.sector,
                    enterprise_id: t.enterprise_id,
                    department_id,
                }
            }
            _ => {
                return Err(ValidationErrors::single("entity", "文书所属记录类型不正确").into());
            }
        })
    }

    /// The number prefix of a department: configured, or derived from its short name.
    pub fn document_prefix(&self, department_id: i64) -> Result<String> {
        if let Some(p) = self.store.doc_prefix(department_id)? {
            return Ok(p);
        }
        let dep = self.store.get_department(&Scope::system(), department_id)?;
        let county = self.instance_name()?;
        let short = strip_suffix(&dep.short_name);
        let short = match short.strip_prefix(county.as_str()) {
            Some(rest) if !rest.is_empty() => rest.to_string(),
            _ => short,
        };
        let first = county.chars().next().map(String::from).unwrap_or_default();
        Ok(format!("{first}{short}"))
    }

    pub fn set_document_prefix(
        &self,
        caller: &Caller,
        department_id: i64,
        prefix: &str,
    ) -> Result<String> {
        caller.require(anjian_domain::scope::Permission::ManageOrganisation)?;
        let p = prefix.trim();
        if p.is_empty() || p.chars().count() > 12 || p.contains(['{', '}', '〔', '〕']) {
            return Err(
                ValidationErrors::single("prefix", "文号前缀须为1至12个字符，且不含括号").into(),
            );
        }
        self.store.get_department(&caller.scope, department_id)?;
        self.store
            .set_doc_prefix(&caller.change(&caller.scope, self), department_id, p)?;
        Ok(p.to_string())
    }

    pub fn issue_document(&self, caller: &Caller, input: &IssueInput) -> Result<Document> {
        Self::ensure_issuer(caller)?;
        let mut e = ValidationErrors::new();
        let t = doc_type(input.doc_type.trim());
        match t {
            None => e.add("doc_type", "文书种类不正确"),
            Some(t) if !t.entities.contains(&input.entity.as_str()) => {
                e.add("entity", format!("{}不能由该类记录制发", t.title))
            }
            _ => {}
        }
        let today = self.clock.today();
        let date = match input
            .date
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Some(today),
            Some(s) => match parse_date(s) {
                Ok(d) if d > today => {
                    e.add("date", "制发日期不能晚于今天");
                    None
                }
                Ok(d) => Some(d),
                Err(m) => {
                    e.add("date", m);
                    None
                }
            },
        };
        let body = input.body.as_deref().map(str::trim).unwrap_or_default();
        if body.chars().count() > 5000 {
            e.add("body", "正文不能超过5000字");
        }
        e.into_result()?;
        let (Some(t), Some(date)) = (t, date) else {
            return Err(AppError::Internal("validated document input".into()));
        };
        let src = self.source(caller, &input.entity, input.entity_id)?;
        let department_id = input
            .department_id
            .or(src.department_id)
            .or(caller.user.department_id)
            .ok_or_else(|| ValidationErrors::single("department_id", "请选择制发文书的部门"))?;
        if caller
            .bound_department()
            .is_some_and(|own| own != department_id)
        {
            return Err(AppError::Forbidden("只能以本部门名义制发文书".into()));
        }
        let prefix = self.document_prefix(department_id)?;
        let template = self
            .store
            .setting(&template_key(t.code))?
            .filter(|x| !x.is_empty());
        let text = if body.is_empty() {
            match template {
                Some(tpl) => {
                    let dep = self.store.get_department(&Scope::system(), department_id)?;
                    let mut values = src.values.clone();
                    values.push(("当事人", src.party.clone()));
                    values.push(("部门", dep.name));
                    values.push(("日期", date.format("%Y-%m-%d").to_string()));
                    render_template(&tpl, &values)
                }
                None => match default_template(t.code) {
                    Some(tpl) => {
                        let mut values = src.values.clone();
                        values.push(("当事人", src.party.clone()));
                        render_template(tpl, &values)
                    }
                    None => src.body.clone(),
                },
            }
        } else {
            body.to_string()
        };
        let doc = NewDocument {
            region_code: src.region_code,
            sector: src.sector,
            enterprise_id: src.enterprise_id,
            department_id,
            doc_type: t.code.into(),
            year: i64::from(date.year()),
            pattern: format!("{prefix}{}〔{{year}}〕{{seq}}号", t.word),
            entity: input.entity.clone(),
            entity_id: input.entity_id,
            title: format!("{}（{}）", t.title, src.party),
            body: text,
            issued_on: date,
        };
        let scope = caller.hazard_scope();
        Ok(self
            .store
            .issue_document(&caller.change(&scope, self), &doc)?)
    }

    pub fn document(&self, caller: &Caller, id: i64) -> Result<Document> {
        Ok(self.store.get_document(&caller.scope, id)?)
    }

    /// Every document in scope (of one record, if given).
    pub fn documents(&self, caller: &Caller, entity: Option<(&str, i64)>) -> Result<Vec<Document>> {
        crate::every(|k| self.store.list_documents(&caller.scope, entity, k), Ok)
    }

    /// One page of the documents in scope, newest first.
    pub fn documents_page(
        &self,
        caller: &Caller,
        entity: Option<(&str, i64)>,
        k: &crate::Keyset,
    ) -> Result<crate::Page<Document>> {
        Ok(self.store.list_documents(&caller.scope, entity, k)?)
    }

    pub fn serve_document(
        &self,
        caller: &Caller,
        id: i64,
        input: &ServiceInput,
    ) -> Result<Document> {
        Self::ensure_issuer(caller)?;
        let doc = self.store.get_document(&caller.scope, id)?;
        let mut e = ValidationErrors::new();
        let served_on = match parse_date(input.served_on.trim()) {
            Ok(d) if d > self.clock.today() => {
                e.add("served_on", "送达日期不能晚于今天");
                None
            }
            Ok(d) if d < doc.issued_on => {
                e.add("served_on", "送达日期不能早于制发日期");
                None
            }
            Ok(d) => Some(d),
            Err(m) => {
                e.add("served_on", m);
                None
            }
        };
        let to = input.served_to.trim();
        if to.is_empty() || to.chars().count() > 100 {
            e.add("served_to", "请填写受送达人（100字以内）");
        }
        if !SERVICE_METHODS.contains(&input.method.trim()) {
            e.add(
                "method",
                format!("送达方式须为：{}", SERVICE_METHODS.join("、")),
            );
        }
        if input.method.trim() == ELECTRONIC_SERVICE && !input.written_consent {
            e.add(
                "method",
                "电子送达须经当事人书面同意并签订确认书（《行政处罚法》第六十一条）",
            );
        }
        e.into_result()?;
        let Some(served_on) = served_on else {
            return Err(ValidationErrors::single("served_on", "日期格式应为 YYYY-MM-DD").into());
        };
        if doc.served_on.is_some() {
            return Err(AppError::Conflict("该文书已登记送达".into()));
        }
        let scope = caller.hazard_scope();
        let served = self.store.serve_document(
            &caller.change(&scope, self),
            id,
            served_on,
            to,
            &if input.method.trim() == ELECTRONIC_SERVICE {
                format!("{ELECTRONIC_SERVICE}（当事人书面同意）")
            } else {
                input.method.trim().to_string()
            },
        )?;
        // The case's service step is the decision's service record: the 15-day payment
        // period (行政处罚法 art. 67) runs from the real service date.
        if served.entity == "case" && served.doc_type == "penalty_decision" {
            let (c, _) = self.store.get_case(&caller.scope, served.entity_id)?;
            if c.status == anjian_domain::cases::CaseStatus::Decided {
                self.case_step(
                    caller,
                    c.id,
                    &crate::cases::CaseStep {
                        action: "serve".into(),
                        served_on: Some(served_on.to_string()),
                        note: Some(format!("{}送达{}", served.title, to)),
                        ..Default::default()
                    },
                )?;
            }
        }
        Ok(served)
    }

    /// The document as a Word file.
    pub fn document_docx(&self, caller: &Caller, id: i64) -> Result<Vec<u8>> {
        let d = self.store.get_document(&caller.scope, id)?;
        let dep = self
            .store
            .get_department(&Scope::system(), d.department_id)?;
        let title = doc_type(&d.doc_type).map(|t| t.title).unwrap_or("执法文书");
        let mut body: Vec<String> = d.body.lines().map(str::to_string).collect();
        if let Some(on) = &d.served_on {
            body.push(format!(
                "送达：{on}，{}，受送达人{}。",
                d.service_method, d.served_to
            ));
        } else {
            body.push("受送达人（签字）：　　　　　　　　年　　月　　日".into());
        }
        crate::docx::document(
            title,
            &d.doc_no,
            &body,
            None,
            &dep.name,
            &d.issued_on.to_string(),
        )
    }
}

impl App {
    /// Every document type with the county's template (None: the built-in wording).
    pub fn document_templates(&self) -> Result<Vec<TemplateView>> {
        DOC_TYPES
            .iter()
            .map(|t| {
                Ok(TemplateView {
                    doc_type: t.code,
                    title: t.title,
                    template: self
                        .store
                        .setting(&template_key(t.code))?
                        .filter(|x| !x.is_empty()),
                })
            })
            .collect()
    }

    /// Sets (or, with empty text, clears) a document type's template (admin).
    pub fn set_document_template(
        &self,
        caller: &Caller,
        code: &str,
        text: &str,
    ) -> Result<TemplateView> {
        caller.require(anjian_domain::scope::Permission::ManageOrganisation)?;
        let t = self::doc_type(code).ok_or(AppError::NotFound)?;
        let text = text.trim();
        if text.chars().count() > 10_000 {
            return Err(ValidationErrors::single("text", "模板不能超过10000字").into());
        }
        check_template(text).map_err(|m| ValidationErrors::single("text", m))?;
        self.store.set_setting(
            &caller.change(&Scope::system(), self),
            &template_key(t.code),
            text,
        )?;
        let template = if text.is_empty() {
            None
        } else {
            Some(text.to_string())
        };
        Ok(TemplateView {
            doc_type: t.code,
            title: t.title,
            template,
        })
    }
}
