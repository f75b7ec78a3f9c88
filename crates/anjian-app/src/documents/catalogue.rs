//! The catalogue of document types, service methods and the built-in wording (what the law
//! requires each document to say), and the county's template placeholders.

/// A document type: code, number word, title, and the records it may be issued from.
pub struct DocType {
    pub code: &'static str,
    pub word: &'static str,
    pub title: &'static str,
    pub entities: &'static [&'static str],
    /// Served on the party (a 行政执法文书 the party receives), not an internal form.
    pub to_party: bool,
}

pub const DOC_TYPES: [DocType; 17] = [
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
    // 国务院令第310号 art. 6: the case goes to the police with it; addressed to the police and
    // copied to the procuratorate, not served on the party.
    DocType {
        code: "transfer_letter",
        word: "移",
        title: "涉嫌犯罪案件移送书",
        entities: &["transfer"],
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

/// Placeholders a county's text templates (the body of a document) may use (`{当事人}` …).
pub const PLACEHOLDERS: [&str; 25] = [
    "当事人",
    "部门",
    "机关",
    "日期",
    "地址",
    "法定代表人",
    "统一社会信用代码",
    "执法人员",
    "复议机关",
    "诉讼法院",
    "检查日期",
    "检查场所",
    "发现问题",
    "隐患",
    "隐患部位",
    "整改期限",
    "案由",
    "违法事实",
    "处罚依据",
    "罚款",
    "处罚种类",
    "处罚决定",
    "罪名",
    "移送人数",
    "联系电话",
];

/// Placeholders only a Word template has: what is known once the document is issued (its
/// number and body) and served.
pub const DOCX_ONLY_PLACEHOLDERS: [&str; 7] = [
    "文书名称",
    "文号",
    "正文",
    "送达日期",
    "受送达人",
    "送达方式",
    "送达地点",
];

/// Whether a Word template may use the placeholder.
pub fn docx_placeholder(name: &str) -> bool {
    PLACEHOLDERS.contains(&name) || DOCX_ONLY_PLACEHOLDERS.contains(&name)
}

/// The shipped Word template of a document type (written by `scripts/document_templates.py`).
pub fn shipped_docx(doc_type: &str) -> Option<&'static [u8]> {
    macro_rules! t {
        ($($code:literal),*) => {
            match doc_type {
                $($code => Some(include_bytes!(concat!("templates/", $code, ".docx")).as_slice()),)*
                _ => None,
            }
        };
    }
    t!(
        "inspection_record",
        "rectification_order",
        "recheck_opinion",
        "onsite_measure",
        "case_register",
        "penalty_notice",
        "hearing_notice",
        "penalty_decision",
        "simple_decision",
        "case_close",
        "hearing_meeting_notice",
        "legal_review_opinion",
        "collective_discussion",
        "deferral_approval",
        "payment_reminder",
        "enforcement_application",
        "transfer_letter"
    )
}

/// The body a document gets when the county has no template of its own: what the law requires
/// the document to say, with the record's facts filled in.
pub(super) fn default_template(doc_type: &str) -> Option<&'static str> {
    Some(match doc_type {
        // 行政处罚法 art. 44: the facts, reasons and basis of the proposed penalty and its
        // content, and the party's rights (陈述、申辩, 听证 where arts. 63–64 apply).
        "penalty_notice" => {
            "{当事人}：\n经查，你（单位）存在以下违法行为：{违法事实}\n依据{处罚依据}的规定，本机关拟对你（单位）作出如下行政处罚：{处罚决定}。\n根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你（单位）有权进行陈述和申辩。拟作出的处罚属于该法第六十三条规定情形的，你（单位）有权在收到本告知书之日起五个工作日内要求听证。逾期未提出的，视为放弃上述权利。"
        }
        // art. 59: the party, the facts and evidence, the kind and basis of the penalty, how
        // and by when to comply, the routes and time limits of review and litigation (and
        // their bodies), the agency and the date. The party, the agency and the date are in
        // the Word template around the body.
        "penalty_decision" | "simple_decision" => {
            "违法事实和证据：{违法事实}\n以上事实有现场检查记录、询问笔录等证据证实。\n处罚依据：{处罚依据}\n处罚种类和数额：{处罚决定}。\n履行方式和期限：自收到本决定书之日起十五日内，到指定银行或者通过电子支付系统缴纳罚款。到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款（《中华人民共和国行政处罚法》第六十七条、第七十二条）。\n救济途径和期限：如不服本决定，可以在收到本决定书之日起六十日内依法向{复议机关}申请行政复议，或者在六个月内依法向{诉讼法院}提起行政诉讼。行政复议和行政诉讼期间，本决定不停止执行，法律另有规定的除外。逾期不申请行政复议、不提起行政诉讼又不履行本决定的，本机关将依法申请人民法院强制执行。"
        }
        // 安全生产法 art. 65 (1) 3: hazards found are ordered removed; the order states the
        // problems, the deadline, the basis, what happens if it is not met, and the remedies.
        "rectification_order" => {
            "经查，你单位存在下列问题：\n{发现问题}\n现责令你单位对上述问题{整改期限}整改完毕，达到有关法律、法规、规章和国家标准或者行业标准规定的要求。整改期间，你单位应当采取措施，确保安全生产；由此造成事故的，依法追究有关人员的责任。\n依据：《中华人民共和国安全生产法》第六十五条第一款第（三）项。逾期未整改或者整改不合格的，本机关将依照《中华人民共和国安全生产法》等有关规定予以行政处罚。\n如不服本指令，可以在收到本指令书之日起六十日内依法向{复议机关}申请行政复议，或者在六个月内依法向{诉讼法院}提起行政诉讼，但本指令不停止执行，法律另有规定的除外。"
        }
        "hearing_meeting_notice" => {
            "{当事人}：\n根据你（单位）的听证要求，本机关定于　　年　　月　　日　　时在　　　　举行听证会（《中华人民共和国行政处罚法》第六十四条：举行听证的七日前通知当事人）。请携带身份证明和有关证据材料准时参加；无正当理由拒不出席或者未经许可中途退出的，视为放弃听证权利。"
        }
        // 国务院令第310号 art. 6 lists what goes with the letter; art. 8 the police's 3 days;
        // 应急〔2019〕54号: copied to the procuratorate at the same level.
        "transfer_letter" => {
            "　　　　公安局：\n经查，{当事人}涉嫌{罪名}（涉嫌犯罪人员{移送人数}人）。主要事实：{违法事实}\n根据《行政执法机关移送涉嫌犯罪案件的规定》第三条、第六条的规定，现将该案移送你局，请依法审查，并自接受移送之日起三日内作出立案或者不予立案的决定，书面通知本机关。\n附件：1. 涉嫌犯罪案件情况的调查报告；2. 涉案物品清单；3. 有关检验报告或者鉴定结论；4. 其他有关涉嫌犯罪的材料。\n抄送：　　　　人民检察院"
        }
        "payment_reminder" => {
            "{当事人}：\n本机关对你（单位）作出的行政处罚决定（{处罚决定}）已经送达，你（单位）至今未履行。根据《中华人民共和国行政强制法》第三十五条、第五十四条的规定，现催告你（单位）自收到本催告书之日起十日内履行；逾期仍不履行的，本机关将依法申请人民法院强制执行。你（单位）有权进行陈述和申辩。"
        }
        _ => return None,
    })
}

pub(super) fn template_key(doc_type: &str) -> String {
    format!("doc_template.{doc_type}")
}

/// Refuses a Word template with placeholders it cannot use, naming them.
pub(super) fn check_docx_placeholders(used: &[String]) -> std::result::Result<(), String> {
    let unknown: Vec<String> = used
        .iter()
        .filter(|n| !docx_placeholder(n))
        .map(|n| format!("{{{n}}}"))
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    Err(format!(
        "模板中有未知的占位符：{}。可用的占位符：{}",
        unknown.join("、"),
        PLACEHOLDERS
            .iter()
            .chain(DOCX_ONLY_PLACEHOLDERS.iter())
            .map(|p| format!("{{{p}}}"))
            .collect::<Vec<_>>()
            .join("、")
    ))
}

/// The placeholders used in a template, or the first unknown one.
pub(super) fn check_template(text: &str) -> std::result::Result<(), String> {
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

pub(super) fn render_template(text: &str, values: &[(&str, String)]) -> String {
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
