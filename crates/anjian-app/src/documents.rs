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

/// A document type: code, number word, title, and the records it may be issued from.
pub struct DocType {
    pub code: &'static str,
    pub word: &'static str,
    pub title: &'static str,
    pub entities: &'static [&'static str],
    /// Served on the party (a 行政执法文书 the party receives), not an internal form.
    pub to_party: bool,
}

pub const DOC_TYPES: [DocType; 16] = [
    DocType {
        code: "inspection_record",
        word: "检记",
        title: "现场检查记录",
        entities: &["inspection"],
        to_party: true,
    },
    DocType {
        code: "rectification_order",
        word: "责改",
        title: "责令限期整改指令书",
        entities: &["inspection", "hazard"],
        to_party: true,
    },
    DocType {
        code: "recheck_opinion",
        word: "复查",
        title: "整改复查意见书",
        entities: &["hazard"],
        to_party: true,
    },
    DocType {
        code: "onsite_measure",
        word: "现决",
        title: "现场处理措施决定书",
        entities: &["inspection", "hazard"],
        to_party: true,
    },
    DocType {
        code: "case_register",
        word: "立",
        title: "立案审批表",
        entities: &["case"],
        to_party: false,
    },
    DocType {
        code: "penalty_notice",
        word: "罚告",
        title: "行政处罚告知书",
        entities: &["case"],
        to_party: true,
    },
    DocType {
        code: "hearing_notice",
        word: "听告",
        title: "听证告知书",
        entities: &["case"],
        to_party: true,
    },
    DocType {
        code: "penalty_decision",
        word: "罚",
        title: "行政处罚决定书",
        entities: &["case"],
        to_party: true,
    },
    DocType {
        code: "simple_decision",
        word: "当罚",
        title: "行政（当场）处罚决定书",
        entities: &["case"],
        to_party: true,
    },
    DocType {
        code: "case_close",
        word: "结",
        title: "结案审批表",
        entities: &["case"],
        to_party: false,
    },
    DocType {
        code: "hearing_meeting_notice",
        word: "听通",
        title: "听证会通知书",
        entities: &["case"],
        to_party: true,
    },
    DocType {
        code: "legal_review_opinion",
        word: "法审",
        title: "行政处罚法制审核意见书",
        entities: &["case"],
        to_party: false,
    },
    DocType {
        code: "collective_discussion",
        word: "集议",
        title: "行政处罚集体讨论记录",
        entities: &["case"],
        to_party: false,
    },
    DocType {
        code: "deferral_approval",
        word: "缓缴",
        title: "延期（分期）缴纳罚款批准书",
        entities: &["case"],
        to_party: true,
    },
    DocType {
        code: "payment_reminder",
        word: "催告",
        title: "催告书",
        entities: &["case"],
        to_party: true,
    },
    DocType {
        code: "enforcement_application",
        word: "强执",
        title: "强制执行申请书",
        entities: &["case"],
        to_party: false,
    },
];

/// Service methods of 行政处罚法 art. 61 and 民事诉讼法 (送达方式).
pub const SERVICE_METHODS: [&str; 7] = [
    "直接送达",
    "留置送达",
    "邮寄送达",
    "委托送达",
    "转交送达",
    "电子送达",
    "公告送达",
];

/// 行政处罚法 art. 61: electronic service only with the party's written consent.
pub const ELECTRONIC_SERVICE: &str = "电子送达";

pub fn doc_type(code: &str) -> Option<&'static DocType> {
    DOC_TYPES.iter().find(|t| t.code == code)
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
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

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
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

/// Placeholders a county's document templates may use (`{当事人}` …).
pub const PLACEHOLDERS: [&str; 13] = [
    "当事人",
    "部门",
    "日期",
    "检查日期",
    "检查场所",
    "发现问题",
    "隐患",
    "隐患部位",
    "整改期限",
    "违法事实",
    "处罚依据",
    "罚款",
    "处罚种类",
];

/// The body a document gets when the county has no template of its own: what the law requires
/// the document to say, with the record's facts filled in.
fn default_template(doc_type: &str) -> Option<&'static str> {
    Some(match doc_type {
        // 行政处罚法 art. 44: the facts, reasons and basis of the proposed penalty and its
        // content, and the party's rights (陈述、申辩, 听证 where arts. 63–64 apply).
        "penalty_notice" => {
            "{当事人}：\n经查，你（单位）存在以下违法行为：{违法事实}\n依据{处罚依据}的规定，本机关拟对你（单位）作出如下行政处罚：{处罚种类}；罚款{罚款}。\n根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你（单位）有权进行陈述和申辩。拟作出的处罚属于该法第六十三条规定情形的，你（单位）有权在收到本告知书之日起五个工作日内要求听证。逾期未提出的，视为放弃上述权利。"
        }
        // art. 59: the party, the facts and evidence, the kind and basis of the penalty, how
        // and by when to comply, the routes and time limits of review and litigation, the
        // agency and the date.
        "penalty_decision" | "simple_decision" => {
            "当事人：{当事人}\n违法事实和证据：{违法事实}以上事实有现场检查记录、询问笔录等证据证实。\n处罚依据：{处罚依据}\n处罚种类和数额：{处罚种类}；罚款{罚款}。\n履行方式和期限：自收到本决定书之日起十五日内，到指定银行或者通过电子支付系统缴纳罚款。到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款（《中华人民共和国行政处罚法》第六十七条、第七十二条）。\n救济途径和期限：如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。行政复议和行政诉讼期间，本决定不停止执行，法律另有规定的除外。"
        }
        "hearing_meeting_notice" => {
            "{当事人}：\n根据你（单位）的听证要求，本机关定于　　年　　月　　日　　时在　　　　举行听证会（《中华人民共和国行政处罚法》第六十四条：举行听证的七日前通知当事人）。请携带身份证明和有关证据材料准时参加；无正当理由拒不出席或者未经许可中途退出的，视为放弃听证权利。"
        }
        "payment_reminder" => {
            "{当事人}：\n本机关对你（单位）作出的行政处罚决定（{处罚种类}；罚款{罚款}）已经送达，你（单位）至今未履行。根据《中华人民共和国行政强制法》第三十五条、第五十四条的规定，现催告你（单位）自收到本催告书之日起十日内履行；逾期仍不履行的，本机关将依法申请人民法院强制执行。你（单位）有权进行陈述和申辩。"
        }
        _ => return None,
    })
}

fn template_key(doc_type: &str) -> String {
    format!("doc_template.{doc_type}")
}

/// The placeholders used in a template, or the first unknown one.
fn check_template(text: &str) -> std::result::Result<(), String> {
    let mut rest = text;
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        let Some(j) = after.find('}') else {
            return Err("模板中有未闭合的“{”".into());
        };
        let name = &after[..j];
        if !PLACEHOLDERS.contains(&name) {
            return Err(format!(
                "未知的占位符“{{{name}}}”，可用：{}",
                PLACEHOLDERS.map(|p| format!("{{{p}}}")).join("、")
            ));
        }
        rest = &after[j + 1..];
    }
    Ok(())
}

fn render_template(text: &str, values: &[(&str, String)]) -> String {
    let mut out = text.to_string();
    for p in PLACEHOLDERS {
        let v = values
            .iter()
            .find(|(k, _)| *k == p)
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        out = out.replace(&format!("{{{p}}}"), v);
    }
    out
}

/// A document type with the county's template, if any.
#[derive(Debug, Clone, Serialize)]
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
                    ("检查日期", i.inspected_on.clone()),
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
                        h.deadline.clone().unwrap_or_else(|| "立即".into()),
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
            issued_on: date.format("%Y-%m-%d").to_string(),
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
        match parse_date(input.served_on.trim()) {
            Ok(d) if d > self.clock.today() => e.add("served_on", "送达日期不能晚于今天"),
            Ok(d) if d.format("%Y-%m-%d").to_string() < doc.issued_on => {
                e.add("served_on", "送达日期不能早于制发日期")
            }
            Ok(_) => {}
            Err(m) => e.add("served_on", m),
        }
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
        if doc.served_on.is_some() {
            return Err(AppError::Conflict("该文书已登记送达".into()));
        }
        let scope = caller.hazard_scope();
        let served = self.store.serve_document(
            &caller.change(&scope, self),
            id,
            input.served_on.trim(),
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
                        served_on: Some(input.served_on.trim().to_string()),
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
        crate::docx::document(title, &d.doc_no, &body, None, &dep.name, &d.issued_on)
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
