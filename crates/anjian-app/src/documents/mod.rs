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
#[cfg(test)]
mod tests;
use crate::docx::chinese_date;
use anjian_store::documents::DocxTemplate;
pub use catalogue::{
    DOC_TYPES, DOCX_ONLY_PLACEHOLDERS, DocType, ELECTRONIC_SERVICE, PLACEHOLDERS, SERVICE_METHODS,
    doc_type, docx_placeholder, shipped_docx,
};
use catalogue::{
    check_docx_placeholders, check_template, default_template, render_template, template_key,
};

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
    /// 送达地点 (optional).
    #[serde(default)]
    pub place: Option<String>,
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

/// A document type with the county's templates, if any: the text of the body and the Word
/// file around it (None: the built-in wording and the shipped Word template).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TemplateView {
    pub doc_type: &'static str,
    pub title: &'static str,
    pub template: Option<String>,
    pub docx: Option<DocxTemplate>,
}

/// The party's particulars from its enterprise record (empty where unknown).
fn party_values(e: Option<&anjian_store::enterprises::Enterprise>) -> Vec<(&'static str, String)> {
    let opt = |v: Option<&Option<String>>| v.and_then(|x| x.clone()).unwrap_or_default();
    vec![
        ("地址", e.map(|e| e.address.clone()).unwrap_or_default()),
        (
            "法定代表人",
            match e
                .and_then(|e| e.legal_rep.clone())
                .filter(|s| !s.is_empty())
            {
                Some(r) => r,
                None => opt(e.map(|e| &e.principal)),
            },
        ),
        (
            "统一社会信用代码",
            e.map(|e| e.uscc.clone()).unwrap_or_default(),
        ),
        ("联系电话", opt(e.map(|e| &e.legal_rep_phone))),
    ]
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
                // The officers who showed their certificates, by number (行政处罚法 art. 42).
                let team = crate::inspections::officers_line(&i);
                let mut body = if team.is_empty() {
                    format!(
                        "{}，我单位对你单位（{}）进行了检查，发现下列问题：",
                        chinese_date(i.inspected_on),
                        i.site
                    )
                } else {
                    format!(
                        "{}，我单位执法人员{team}出示执法证件，对你单位（{}）进行了检查，发现下列问题：",
                        chinese_date(i.inspected_on),
                        i.site
                    )
                };
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
                    ("检查日期", chinese_date(i.inspected_on)),
                    ("检查场所", i.site.clone()),
                    ("发现问题", found.join("\n")),
                    ("整改期限", "于　　　　年　　月　　日前".to_string()),
                    // The certified officers with their numbers; the people as typed for
                    // an inspection recorded before the roster.
                    (
                        "执法人员",
                        if team.is_empty() {
                            crate::inspections::accompanying(&i).join("、")
                        } else {
                            team.clone()
                        },
                    ),
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
                    match h.deadline {
                        Some(d) => format!(
                            "责令于{}前整改完毕，达到有关法律法规规章和标准规定的要求。",
                            chinese_date(d)
                        ),
                        None => "责令立即整改。".to_string(),
                    }
                );
                let values = vec![
                    ("隐患", h.description.clone()),
                    ("隐患部位", h.location.clone()),
                    (
                        "发现问题",
                        if h.location.trim().is_empty() {
                            format!("1. {}", h.description)
                        } else {
                            format!("1. {}（{}）", h.description, h.location)
                        },
                    ),
                    (
                        "整改期限",
                        h.deadline
                            .map(|d| format!("于{}前", chinese_date(d)))
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
                // The decided penalties in one phrase: 警告、罚款30000元.
                let fine = anjian_domain::cases::fen_text(c.fine_fen);
                let mut decided: Vec<String> = measures
                    .iter()
                    .map(|m| {
                        if *m == "罚款" {
                            format!("罚款{fine}")
                        } else {
                            (*m).to_string()
                        }
                    })
                    .collect();
                if c.fine_fen > 0 && !decided.iter().any(|m| m.starts_with("罚款")) {
                    decided.push(format!("罚款{fine}"));
                }
                let values = vec![
                    ("违法事实", c.facts.clone()),
                    ("处罚决定", decided.join("、")),
                    ("处罚依据", c.legal_basis.clone()),
                    ("罚款", anjian_domain::cases::fen_text(c.fine_fen)),
                    ("处罚种类", measures.join("、")),
                    (
                        "案由",
                        format!("{}案", c.facts.trim().trim_end_matches(['。', '；', '.'])),
                    ),
                    ("执法人员", c.officers.join("、")),
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
        let dep = self
            .store
            .get_department(&Scope::system(), department_id, self.clock.today())?;
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
        self.store
            .get_department(&caller.scope, department_id, self.clock.today())?;
        self.store
            .set_doc_prefix(&caller.change(&caller.scope, self), department_id, p)?;
        Ok(p.to_string())
    }

    /// The placeholder values every document has: the party and its particulars, the agency,
    /// the date and the bodies of review and litigation, then the record's own.
    fn values(
        &self,
        src: &Source,
        department_id: i64,
        date: chrono::NaiveDate,
    ) -> Result<Vec<(&'static str, String)>> {
        let dep = self
            .store
            .get_department(&Scope::system(), department_id, self.clock.today())?;
        let county = self.instance_name()?;
        let enterprise = src
            .enterprise_id
            .and_then(|id| self.store.get_enterprise(&Scope::system(), id).ok());
        let mut v = vec![
            ("当事人", src.party.clone()),
            ("部门", dep.name.clone()),
            ("机关", dep.name),
            ("日期", chinese_date(date)),
            // 行政复议法 (2023) art. 24: the people's government at the department's level;
            // 行政诉讼法 art. 18: the court where the agency is.
            ("复议机关", format!("{county}人民政府")),
            ("诉讼法院", format!("{county}人民法院")),
        ];
        v.extend(party_values(enterprise.as_ref()));
        v.extend(src.values.iter().cloned());
        // A placeholder the record has no value for is left blank, never printed as `{…}`.
        for p in PLACEHOLDERS {
            if !v.iter().any(|(k, _)| *k == p) {
                v.push((p, String::new()));
            }
        }
        Ok(v)
    }

    /// A document's standard wording from its record: the county's text template for the kind
    /// (or the shipped one) filled with the record's values.
    fn standard_text(
        &self,
        t: &DocType,
        src: &Source,
        template: Option<String>,
        department_id: i64,
        date: chrono::NaiveDate,
    ) -> Result<String> {
        let values = self.values(src, department_id, date)?;
        Ok(match template {
            Some(tpl) => render_template(&tpl, &values),
            None => match default_template(t.code) {
                Some(tpl) => render_template(tpl, &values),
                // A document served on the party is addressed to it.
                None if t.to_party => format!("{}：\n{}", src.party, src.body),
                None => src.body.clone(),
            },
        })
    }

    /// The standard wording of a document of `doc_type` made from a record, as the system (the
    /// demo county's documents, written straight to the store, carry the same text that
    /// issuing one through the use case gives).
    pub(crate) fn document_text_for(
        &self,
        doc_type: &str,
        entity: &str,
        entity_id: i64,
        department_id: i64,
        date: chrono::NaiveDate,
    ) -> Result<String> {
        let t = self::catalogue::doc_type(doc_type)
            .ok_or_else(|| AppError::Internal(format!("unknown document kind {doc_type}")))?;
        let caller = self.system_caller("demo")?;
        let src = self.source(&caller, entity, entity_id)?;
        let template = self
            .store
            .setting(&template_key(t.code))?
            .filter(|x| !x.is_empty());
        self.standard_text(t, &src, template, department_id, date)
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
            self.standard_text(t, &src, template, department_id, date)?
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
        let place = input.place.as_deref().unwrap_or_default().trim();
        if place.chars().count() > 200 {
            e.add("place", "送达地点不能超过200字");
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
            place,
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

    /// The document as a Word file: the county's Word template of its type (or the shipped
    /// one) filled with the document's number, body and service record and the record's
    /// particulars.
    pub fn document_docx(&self, caller: &Caller, id: i64) -> Result<Vec<u8>> {
        let d = self.store.get_document(&caller.scope, id)?;
        let title = doc_type(&d.doc_type).map(|t| t.title).unwrap_or("执法文书");
        // The record as it is now, for the particulars; the body is the one issued.
        let src = self
            .source(caller, &d.entity, d.entity_id)
            .unwrap_or_else(|_| Source {
                region_code: d.region_code.clone(),
                sector: d.sector.clone(),
                enterprise_id: d.enterprise_id,
                department_id: Some(d.department_id),
                party: d
                    .title
                    .split_once('（')
                    .map(|(_, p)| p.trim_end_matches('）').to_string())
                    .unwrap_or_default(),
                body: String::new(),
                values: Vec::new(),
            });
        let mut values = self.values(&src, d.department_id, d.issued_on)?;
        let blank_date = "　　　　年　　月　　日".to_string();
        values.extend([
            ("文书名称", title.to_string()),
            ("文号", d.doc_no.clone()),
            ("正文", d.body.clone()),
            (
                "送达日期",
                d.served_on.map(chinese_date).unwrap_or(blank_date),
            ),
            ("受送达人", d.served_to.clone()),
            ("送达方式", d.service_method.clone()),
            ("送达地点", d.service_place.clone()),
        ]);
        let template = self.docx_template_bytes(&d.doc_type)?;
        crate::docx_fill::fill(&template, &values)
            .map_err(|m| AppError::Internal(format!("document {id}: {m}")))
    }

    /// The Word template a document type is made from: the county's, or the shipped one.
    fn docx_template_bytes(&self, code: &str) -> Result<Vec<u8>> {
        if let Some(b) = self.store.docx_template_bytes(code)? {
            return Ok(b);
        }
        shipped_docx(code)
            .map(<[u8]>::to_vec)
            .ok_or(AppError::NotFound)
    }
}

impl App {
    /// Every document type with the county's template (None: the built-in wording).
    pub fn document_templates(&self) -> Result<Vec<TemplateView>> {
        let docx = self.store.docx_templates()?;
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
                    docx: docx.iter().find(|d| d.doc_type == t.code).cloned(),
                })
            })
            .collect()
    }

    fn template_view(&self, t: &DocType) -> Result<TemplateView> {
        self.document_templates()?
            .into_iter()
            .find(|v| v.doc_type == t.code)
            .ok_or(AppError::NotFound)
    }

    /// The Word template of a document type as a file: (download name, bytes). Any user
    /// who can read documents may download it; it holds no record.
    pub fn document_template_docx(&self, code: &str) -> Result<(String, Vec<u8>)> {
        let t = self::doc_type(code).ok_or(AppError::NotFound)?;
        let custom = self.store.docx_template_bytes(t.code)?.is_some();
        Ok((
            format!(
                "{}（{}模板）.docx",
                t.title,
                if custom { "本县" } else { "默认" }
            ),
            self.docx_template_bytes(t.code)?,
        ))
    }

    /// Stores the county's Word template of a document type (admin): a real .docx within the
    /// upload limit and the unpacked bound, with only known placeholders (unknown ones are
    /// named in the refusal).
    pub fn set_document_template_docx(
        &self,
        caller: &Caller,
        code: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<TemplateView> {
        caller.require(anjian_domain::scope::Permission::ManageOrganisation)?;
        let t = self::doc_type(code).ok_or(AppError::NotFound)?;
        let refuse = |m: String| AppError::from(ValidationErrors::single("file", m));
        let name = file_name.trim();
        if !name.to_ascii_lowercase().ends_with(".docx") {
            return Err(refuse(
                "请上传 Word 文件（.docx）；.doc 格式请先在 Word 中另存为 .docx".into(),
            ));
        }
        if bytes.len() > anjian_domain::files::MAX_FILE_BYTES {
            return Err(refuse(format!(
                "文件超过 {} MB 上限",
                anjian_domain::files::MAX_FILE_BYTES / 1024 / 1024
            )));
        }
        let used = crate::docx_fill::placeholders(bytes).map_err(refuse)?;
        check_docx_placeholders(&used).map_err(refuse)?;
        // The file must also fill (what every download will do).
        crate::docx_fill::fill(bytes, &[]).map_err(refuse)?;
        let name: String = name.chars().take(200).collect();
        let sha = {
            use sha2::Digest;
            hex::encode(sha2::Sha256::digest(bytes))
        };
        self.store.set_docx_template(
            &caller.change(&Scope::system(), self),
            t.code,
            Some((&name, &sha, bytes)),
        )?;
        self.template_view(t)
    }

    /// Removes the county's Word template of a document type: the shipped one is used again.
    pub fn reset_document_template_docx(
        &self,
        caller: &Caller,
        code: &str,
    ) -> Result<TemplateView> {
        caller.require(anjian_domain::scope::Permission::ManageOrganisation)?;
        let t = self::doc_type(code).ok_or(AppError::NotFound)?;
        self.store
            .set_docx_template(&caller.change(&Scope::system(), self), t.code, None)?;
        self.template_view(t)
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
        self.template_view(t)
    }
}
