//! Target-responsibility letters (目标管理责任状): the 安委办 registers each letter the county
//! signs with a township, a department or an enterprise, with its indicators and the signed
//! scan; each indicator measured by a metric is tracked over the letter's year
//! ([`tracking`]); the letters are listed, exported as a ledger and imported from one.
//!
//! Readers see the letters that are theirs ([`anjian_domain::letter::Reader`]): the 安委办
//! and leaders every letter of their regions, a township, a department or an enterprise the
//! ones it signed.

use crate::{App, AppError, Caller, Keyset, Page, Result};
use anjian_domain::letter::{Comparator, CounterpartKind, Indicator, Reader};
use anjian_domain::scope::Permission;
use anjian_domain::validation::parse_date;
use anjian_domain::{RegionCode, RegionLevel, Scope, ValidationErrors};
use anjian_store::attachments::{Attachment, NewAttachment};
use anjian_store::letters::{Letter, LetterFilter};
use serde::{Deserialize, Serialize};

mod import;
mod ledger;
mod tracking;
pub use import::LETTER_IMPORT;
pub use ledger::LETTER_COLUMNS;
pub(crate) use tracking::IndicatorSet;
pub use tracking::{IndicatorStatus, LetterView};

/// The issuers a letter usually has (offered on the form; any other may be typed).
pub const ISSUERS: [&str; 3] = ["市人民政府", "市安全生产委员会", "市森林防灭火指挥部"];

/// One indicator as submitted.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, utoipa::ToSchema)]
#[schema(as = IndicatorInput)]
#[serde(deny_unknown_fields)]
pub struct IndicatorInput {
    /// 指标内容（责任状原文）
    pub text: String,
    /// 统计指标代码（不填则为人工跟踪的定性指标）
    #[serde(default)]
    pub metric: Option<String>,
    /// 比较方式：ge（≥）、le（≤）、eq（=），也可写符号
    #[serde(default)]
    pub comparator: Option<String>,
    /// 目标值（按统计指标的单位；比率为百分数）
    #[serde(default)]
    pub target: Option<f64>,
    /// 比率的基数指标：填写时当前值为“统计指标 ÷ 基数指标 × 100%”
    #[serde(default)]
    pub per_metric: Option<String>,
}

/// A letter as submitted (new, or a new version of one).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LetterInput {
    /// 责任年度
    pub year: i64,
    /// 签订单位（发文机关），如 市人民政府、市安全生产委员会
    pub issuer: String,
    /// 责任对象类型：township、department、enterprise
    pub counterpart_kind: String,
    /// 乡镇（街道）区划代码（对象为乡镇时）
    #[serde(default)]
    pub township_code: Option<String>,
    /// 部门编号（对象为部门时）
    #[serde(default)]
    pub department_id: Option<i64>,
    /// 企业编号（对象为企业时）
    #[serde(default)]
    pub enterprise_id: Option<i64>,
    pub title: String,
    /// 签订日期 YYYY-MM-DD
    pub signed_on: String,
    #[serde(default)]
    pub indicators: Vec<IndicatorInput>,
    #[serde(default)]
    pub note: String,
    /// 修改时必填：当前版本号
    #[serde(default)]
    pub version: Option<i64>,
}

/// A page of letters, each with its counterpart kind's name.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LetterListItem {
    #[serde(flatten)]
    pub letter: Letter,
    pub kind_label: &'static str,
    /// Indicators measured by a metric (the others are tracked by hand).
    pub tracked: usize,
}

impl App {
    /// Whose letters the caller reads.
    pub(crate) fn letter_reader(caller: &Caller) -> Reader {
        Reader::of(caller.role, caller.user.department_id)
    }

    /// Whether the caller maintains letters (the 安委办).
    pub fn may_maintain_letters(caller: &Caller) -> bool {
        caller.can(Permission::DecideAsCountyOffice)
    }

    fn require_letters(caller: &Caller) -> Result<()> {
        if Self::may_maintain_letters(caller) {
            Ok(())
        } else {
            Err(caller.refuse("登记目标管理责任状"))
        }
    }

    /// Checks a letter as submitted; every problem is named by its field (an indicator's by
    /// `indicators[k].field`).
    pub(crate) fn validate_letter(
        &self,
        caller: &Caller,
        input: &LetterInput,
        cat: &[anjian_store::stats::Metric],
    ) -> Result<std::result::Result<Letter, ValidationErrors>> {
        let mut e = ValidationErrors::new();
        if !(2000..=2100).contains(&input.year) {
            e.add("year", "责任年度不正确");
        }
        let issuer = input.issuer.trim();
        if issuer.is_empty() {
            e.add("issuer", "请填写签订单位（如市人民政府）");
        } else if issuer.chars().count() > 60 {
            e.add("issuer", "签订单位不超过60个字");
        }
        let title = input.title.trim();
        if title.is_empty() {
            e.add("title", "请填写责任状名称");
        } else if title.chars().count() > 200 {
            e.add("title", "责任状名称不超过200个字");
        }
        let signed_on = match parse_date(input.signed_on.trim()) {
            Ok(d) if d > self.clock.today() => {
                e.add("signed_on", "签订日期不能晚于今天");
                None
            }
            Ok(d) => {
                let y = i64::from(chrono::Datelike::year(&d));
                if y != input.year && y != input.year - 1 {
                    e.add("signed_on", "签订日期应在责任年度内（或上一年末）");
                }
                Some(d)
            }
            Err(m) => {
                e.add("signed_on", m);
                None
            }
        };
        let kind = CounterpartKind::parse(input.counterpart_kind.trim());
        let mut counterpart = None;
        match kind {
            None => e.add("counterpart_kind", "请选择责任对象类型（乡镇、部门或企业）"),
            Some(k) => match self.counterpart(caller, k, input)? {
                Ok(c) => counterpart = Some(c),
                Err((field, m)) => e.add(field, m),
            },
        }
        let indicators = check_indicators(
            &input.indicators,
            cat,
            &IndicatorList {
                required: true,
                noun: "责任指标",
                whole: "一份责任状",
            },
            &mut e,
        );
        if !e.is_empty() {
            return Ok(Err(e));
        }
        let (Some(kind), Some((region_code, name)), Some(signed_on)) =
            (kind, counterpart, signed_on)
        else {
            return Ok(Err(ValidationErrors::single("_", "责任状信息不完整")));
        };
        Ok(Ok(Letter {
            region_code,
            year: input.year,
            issuer: issuer.to_string(),
            counterpart_kind: kind,
            department_id: (kind == CounterpartKind::Department)
                .then_some(input.department_id)
                .flatten(),
            enterprise_id: (kind == CounterpartKind::Enterprise)
                .then_some(input.enterprise_id)
                .flatten(),
            counterpart_name: name,
            title: title.to_string(),
            signed_on,
            indicators,
            note: input.note.trim().chars().take(500).collect(),
            version: input.version.unwrap_or(1),
            ..Letter::default()
        }))
    }

    /// The counterpart's region and name, or the field and message that refuse it.
    #[allow(clippy::type_complexity)]
    fn counterpart(
        &self,
        caller: &Caller,
        kind: CounterpartKind,
        input: &LetterInput,
    ) -> Result<std::result::Result<(String, String), (&'static str, String)>> {
        Ok(match kind {
            CounterpartKind::Township => {
                let code = input.township_code.as_deref().unwrap_or("").trim();
                match RegionCode::parse(code) {
                    _ if code.is_empty() => Err(("township_code", "请选择乡镇（街道）".into())),
                    Err(m) => Err(("township_code", m)),
                    Ok(r) if r.level() != RegionLevel::Township => {
                        Err(("township_code", "请选择乡镇（街道）一级的区划".into()))
                    }
                    Ok(r) => match self.store.get_region(&caller.scope, r.as_str()) {
                        Ok(reg) if caller.scope.admits_region(r.as_str()) => {
                            Ok((reg.code, reg.name))
                        }
                        _ => Err((
                            "township_code",
                            "该乡镇（街道）不存在或不在您的管辖范围内".into(),
                        )),
                    },
                }
            }
            CounterpartKind::Department => match input.department_id {
                None => Err(("department_id", "请选择部门".into())),
                Some(d) => match self
                    .store
                    .get_department(&Scope::system(), d, self.clock.today())
                {
                    Ok(dep) => Ok((dep.region_code, dep.name)),
                    Err(_) => Err(("department_id", "部门不存在".into())),
                },
            },
            CounterpartKind::Enterprise => match input.enterprise_id {
                None => Err(("enterprise_id", "请选择企业".into())),
                Some(id) => match self.store.get_enterprise(&caller.scope, id) {
                    Ok(ent) => Ok((ent.region_code, ent.name)),
                    Err(_) => Err(("enterprise_id", "企业不存在或不在您的管辖范围内".into())),
                },
            },
        })
    }

    /// Registers a letter (安委办).
    pub fn create_letter(&self, caller: &Caller, input: &LetterInput) -> Result<Letter> {
        Self::require_letters(caller)?;
        let cat = self.metric_catalogue()?;
        let l = self.validate_letter(caller, input, &cat)??;
        Ok(self
            .store
            .create_letter(&caller.change(&caller.scope, self), &l)?)
    }

    /// Saves a new version of letter `id` (安委办); its scan stays.
    pub fn update_letter(&self, caller: &Caller, id: i64, input: &LetterInput) -> Result<Letter> {
        Self::require_letters(caller)?;
        let before = self
            .store
            .get_letter(&caller.scope, Self::letter_reader(caller), id)?;
        let cat = self.metric_catalogue()?;
        let mut l = self.validate_letter(caller, input, &cat)??;
        l.id = before.id;
        l.version = input
            .version
            .ok_or_else(|| ValidationErrors::single("version", "请提供当前版本号"))?;
        Ok(self
            .store
            .update_letter(&caller.change(&caller.scope, self), &l)?)
    }

    /// Deletes a letter registered in error (安委办).
    pub fn delete_letter(&self, caller: &Caller, id: i64, version: i64) -> Result<()> {
        Self::require_letters(caller)?;
        Ok(self
            .store
            .delete_letter(&caller.change(&caller.scope, self), id, version)?)
    }

    pub fn letter(&self, caller: &Caller, id: i64) -> Result<Letter> {
        Ok(self
            .store
            .get_letter(&caller.scope, Self::letter_reader(caller), id)?)
    }

    /// One page of the letters the caller reads.
    pub fn letters_page(
        &self,
        caller: &Caller,
        f: &LetterFilter,
        k: &Keyset,
    ) -> Result<Page<LetterListItem>> {
        let page = self
            .store
            .list_letters(&caller.scope, Self::letter_reader(caller), f, k)?;
        crate::page_of(page, |letter| {
            Ok(LetterListItem {
                kind_label: letter.counterpart_kind.label(),
                tracked: letter.indicators.iter().filter(|i| i.is_tracked()).count(),
                letter,
            })
        })
    }

    /// Every letter the caller reads under the filter.
    pub(crate) fn all_letters(&self, caller: &Caller, f: &LetterFilter) -> Result<Vec<Letter>> {
        let reader = Self::letter_reader(caller);
        crate::every(|k| self.store.list_letters(&caller.scope, reader, f, k), Ok)
    }

    /// Uploads the signed scan of a letter (安委办): a PDF or an image, checked by content and
    /// size before anything is written.
    pub fn attach_letter_scan(
        &self,
        caller: &Caller,
        id: i64,
        name: &str,
        data: Vec<u8>,
    ) -> Result<(Letter, Attachment)> {
        Self::require_letters(caller)?;
        self.store
            .get_letter(&caller.scope, Self::letter_reader(caller), id)?;
        let a = checked_file(name, data, &SCAN_KINDS, "")?;
        Ok(self
            .store
            .attach_letter_scan(&caller.change(&caller.scope, self), id, &a)?)
    }

    /// The signed scan of a letter the caller reads.
    pub fn letter_scan(&self, caller: &Caller, id: i64) -> Result<(Attachment, Vec<u8>)> {
        Ok(self
            .store
            .letter_scan(&caller.scope, Self::letter_reader(caller), id)?)
    }
}

/// The content types a signed scan may have: a PDF or a photograph.
pub(crate) const SCAN_KINDS: [&str; 3] = ["application/pdf", "image/jpeg", "image/png"];

/// A file checked by content and size (and, when `kinds` is not empty, of one of those
/// types), named safely and hashed, ready to store; the refusal names the field `file`.
pub(crate) fn checked_file(
    name: &str,
    data: Vec<u8>,
    kinds: &[&str],
    note: &str,
) -> Result<NewAttachment> {
    let file_name = anjian_domain::files::clean_name(name);
    let content_type = anjian_domain::files::check_file(&file_name, &data)
        .map_err(|m| AppError::Validation(ValidationErrors::single("file", m)))?;
    if !kinds.is_empty() && !kinds.contains(&content_type) {
        return Err(ValidationErrors::single(
            "file",
            "签订的责任状扫描件只接受 PDF 文件或 JPG、PNG 图片",
        )
        .into());
    }
    let sha256 = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&data))
    };
    Ok(NewAttachment {
        file_name,
        content_type: content_type.into(),
        sha256,
        data,
        note: note.trim().chars().take(200).collect(),
    })
}

/// What a list of indicators belongs to, for the messages about the list as a whole.
pub(crate) struct IndicatorList {
    /// Whether at least one indicator is needed.
    pub required: bool,
    /// "责任指标", "控制指标".
    pub noun: &'static str,
    /// "一份责任状", "一年的控制指标".
    pub whole: &'static str,
}

/// Checks the indicators against the catalogue; each problem is named `indicators[k].field`.
pub(crate) fn check_indicators(
    list: &[IndicatorInput],
    cat: &[anjian_store::stats::Metric],
    what: &IndicatorList,
    e: &mut ValidationErrors,
) -> Vec<Indicator> {
    let mut out = Vec::new();
    if what.required && list.iter().all(|i| i.text.trim().is_empty()) {
        e.add("indicators", format!("请至少填写一项{}", what.noun));
    }
    if list.len() > 50 {
        e.add("indicators", format!("{}最多50项指标", what.whole));
    }
    for (k, i) in list.iter().enumerate() {
        let f = |name: &str| format!("indicators[{k}].{name}");
        let n = k + 1;
        let text = i.text.trim();
        let some = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let metric = some(&i.metric);
        let per = some(&i.per_metric);
        let comparator = some(&i.comparator);
        if text.is_empty() {
            if metric.is_some() || comparator.is_some() || i.target.is_some() || per.is_some() {
                e.add(&f("text"), format!("第{n}项指标：请填写指标内容"));
            }
            continue;
        }
        if text.chars().count() > 200 {
            e.add(&f("text"), format!("第{n}项指标：内容不超过200个字"));
        }
        let known = |id: &str| cat.iter().any(|m| m.id == id);
        let Some(metric) = metric else {
            if comparator.is_some() || i.target.is_some() || per.is_some() {
                e.add(
                    &f("metric"),
                    format!("第{n}项指标：设定目标值须先选择统计指标"),
                );
            }
            out.push(Indicator {
                text: text.to_string(),
                ..Indicator::default()
            });
            continue;
        };
        if !known(&metric) {
            e.add(
                &f("metric"),
                format!("第{n}项指标：统计指标“{metric}”不存在"),
            );
        }
        let cmp = match comparator.as_deref().map(Comparator::parse) {
            None => {
                e.add(
                    &f("comparator"),
                    format!("第{n}项指标：请选择比较方式（≥、≤ 或 =）"),
                );
                None
            }
            Some(None) => {
                e.add(
                    &f("comparator"),
                    format!("第{n}项指标：比较方式应为 ≥、≤ 或 ="),
                );
                None
            }
            Some(c) => c,
        };
        match i.target {
            None => e.add(&f("target"), format!("第{n}项指标：请填写目标值")),
            Some(t) if !t.is_finite() || t < 0.0 => {
                e.add(&f("target"), format!("第{n}项指标：目标值应为不小于0的数"));
            }
            Some(t) if per.is_some() && t > 100.0 => {
                e.add(
                    &f("target"),
                    format!("第{n}项指标：比率的目标值不超过100（%）"),
                );
            }
            _ => {}
        }
        if let Some(p) = &per {
            if !known(p) {
                e.add(
                    &f("per_metric"),
                    format!("第{n}项指标：基数指标“{p}”不存在"),
                );
            } else if known(&metric) && !crate::ranking::is_part_of(cat, &metric, p) {
                e.add(
                    &f("per_metric"),
                    format!("第{n}项指标：比率须为同一批记录中的占比，“{metric}”不是“{p}”的一部分"),
                );
            }
        }
        out.push(Indicator {
            text: text.to_string(),
            metric: Some(metric),
            per_metric: per,
            comparator: cmp,
            target: i.target,
        });
    }
    out
}
