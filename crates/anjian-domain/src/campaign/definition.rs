//! Reading and checking a campaign definition file (TOML).

use crate::scope::Role;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use toml::Spanned;

/// Why a definition was refused: the line (1-based) and the reason, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = CampaignDefinitionError)]
pub struct DefinitionError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "第{}行：{}", self.line, self.message)
    }
}

/// The largest definition file read (a campaign is a few hundred lines).
pub const MAX_DEFINITION_BYTES: usize = 256 * 1024;
const MAX_FIELDS: usize = 80;
const MAX_OBJECTS: usize = 12;
const MAX_INDICATORS: usize = 80;
const MAX_OPTIONS: usize = 60;
/// Field keys a form or a request uses for itself (the row's version, its 登记日期).
const RESERVED_KEYS: [&str; 5] = ["version", "recorded_on", "id", "fields", "after"];

/// How often each responsible unit reports on an object type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = CampaignCadence)]
pub enum Cadence {
    /// Every week (Monday to Sunday).
    Weekly,
    /// Every calendar month.
    Monthly,
    /// Every quarter.
    Quarterly,
    /// Once, for the whole campaign.
    Once,
    /// No reporting duty (the ledger is kept as things happen).
    None,
}

impl Cadence {
    pub fn label(self) -> &'static str {
        match self {
            Cadence::Weekly => "每周",
            Cadence::Monthly => "每月",
            Cadence::Quarterly => "每季度",
            Cadence::Once => "一次",
            Cadence::None => "不定期",
        }
    }
}

/// A field's type and its own rules.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FieldKind {
    Text {
        max_len: usize,
        /// A regular expression the whole text must match.
        pattern: Option<String>,
        /// What the pattern asks for, in words (the refusal says it).
        pattern_hint: Option<String>,
    },
    /// A number stored as an integer scaled by 10^decimals; bounds in the same scaled unit.
    Number {
        unit: String,
        decimals: u32,
        min: i64,
        max: Option<i64>,
    },
    Date,
    Choice {
        options: Vec<String>,
    },
    #[serde(rename = "yesno")]
    YesNo,
    /// The object's place (a township or a village): exactly one per object type.
    Region,
    Enterprise,
    Attachment,
}

impl FieldKind {
    pub fn code(&self) -> &'static str {
        match self {
            FieldKind::Text { .. } => "text",
            FieldKind::Number { .. } => "number",
            FieldKind::Date => "date",
            FieldKind::Choice { .. } => "choice",
            FieldKind::YesNo => "yesno",
            FieldKind::Region => "region",
            FieldKind::Enterprise => "enterprise",
            FieldKind::Attachment => "attachment",
        }
    }

    /// The same kind of value (types agree; a later version may widen a choice's options,
    /// a text's length or a number's bounds).
    fn same_kind(&self, other: &FieldKind) -> bool {
        match (self, other) {
            (FieldKind::Number { decimals: a, .. }, FieldKind::Number { decimals: b, .. }) => {
                a == b
            }
            _ => self.code() == other.code(),
        }
    }
}

/// A field of an object type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    pub required: bool,
    /// Required when this holds (e.g. the appraisal grade when the house is 经营性).
    pub required_when: Option<Condition>,
    pub help: String,
    #[serde(skip)]
    pub line: usize,
}

/// What a condition asks of a field's stored value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Test {
    Equals(Value),
    In(Vec<Value>),
    /// A number at least this (scaled), or a date on or after this.
    AtLeast(Value),
    /// A number at most this (scaled), or a date on or before this.
    AtMost(Value),
    /// The field is filled (true) or blank (false).
    Filled(bool),
}

/// A condition on one field of an object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Condition {
    pub field: String,
    pub test: Test,
}

/// An object type: its fields, who fills it and how often.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectType {
    pub key: String,
    pub name: String,
    pub fields: Vec<Field>,
    /// The fields whose values, joined, name a row in lists and drill-downs.
    pub title: Vec<String>,
    /// The date field that places an object in a period (else its 登记日期).
    pub date: Option<String>,
    /// The roles that add and edit rows (the 安委办 always may).
    pub fill: Vec<Role>,
    pub cadence: Cadence,
    /// Days after a period's end by which its report is due.
    pub due_days: u32,
    /// Conditions under which a row calls for a hazard to be registered (a house graded C
    /// or D): any one holding makes the detail page ask for it.
    pub hazard_when: Vec<Condition>,
    #[serde(skip)]
    pub line: usize,
}

impl ObjectType {
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The field that places the object (there is exactly one).
    pub fn region_field(&self) -> Option<&Field> {
        self.fields
            .iter()
            .find(|f| matches!(f.kind, FieldKind::Region))
    }

    pub fn enterprise_field(&self) -> Option<&Field> {
        self.fields
            .iter()
            .find(|f| matches!(f.kind, FieldKind::Enterprise))
    }
}

/// How an indicator aggregates the objects it counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorAgg {
    Count,
    /// The sum of a number field (in its scaled unit).
    Sum(String),
}

/// A named count or sum over one object type's rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    pub key: String,
    pub label: String,
    pub unit: String,
    pub object: String,
    pub agg: IndicatorAgg,
    /// Every condition must hold for a row to count.
    pub conditions: Vec<Condition>,
    /// The date field that puts a row in a period (else the object type's date).
    pub date: Option<String>,
    /// Counted as a stock: every row dated by the period's end and not yet ended (`until`,
    /// a date field) by then, instead of the rows dated in the period.
    pub stock: bool,
    pub until: Option<String>,
    /// The divisor of the raw sum for display (10^decimals of the summed field).
    pub scale: i64,
    pub description: String,
    #[serde(skip)]
    pub line: usize,
}

/// A checked campaign definition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Definition {
    pub code: String,
    pub name: String,
    pub version: u32,
    /// The sector the rows belong to (departments of the sector see and fill them).
    pub sector: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub description: String,
    pub objects: Vec<ObjectType>,
    pub indicators: Vec<Indicator>,
}

// ---- the file as written ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    campaign: RawCampaign,
    #[serde(default, rename = "object")]
    objects: Vec<Spanned<RawObject>>,
    #[serde(default, rename = "indicator")]
    indicators: Vec<Spanned<RawIndicator>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCampaign {
    code: Spanned<String>,
    name: Spanned<String>,
    version: Spanned<i64>,
    sector: Option<Spanned<String>>,
    starts_on: Option<Spanned<toml::value::Datetime>>,
    ends_on: Option<Spanned<toml::value::Datetime>>,
    #[serde(default)]
    description: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObject {
    key: Spanned<String>,
    name: Spanned<String>,
    title: Option<Spanned<Vec<String>>>,
    date: Option<Spanned<String>>,
    fill: Option<Spanned<Vec<String>>>,
    cadence: Option<Spanned<Cadence>>,
    due_days: Option<Spanned<i64>>,
    #[serde(default)]
    hazard_when: Vec<Spanned<RawCondition>>,
    #[serde(default, rename = "field")]
    fields: Vec<Spanned<RawField>>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum RawKind {
    Text,
    Number,
    Date,
    Choice,
    Yesno,
    Region,
    Enterprise,
    Attachment,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    key: Spanned<String>,
    label: Spanned<String>,
    #[serde(rename = "type")]
    kind: Spanned<RawKind>,
    #[serde(default)]
    required: bool,
    required_when: Option<Spanned<RawCondition>>,
    #[serde(default)]
    help: String,
    max_len: Option<Spanned<i64>>,
    pattern: Option<Spanned<String>>,
    pattern_hint: Option<String>,
    unit: Option<Spanned<String>>,
    decimals: Option<Spanned<i64>>,
    min: Option<Spanned<f64>>,
    max: Option<Spanned<f64>>,
    options: Option<Spanned<Vec<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    field: Spanned<String>,
    equals: Option<toml::Value>,
    #[serde(rename = "in")]
    any_of: Option<Vec<toml::Value>>,
    at_least: Option<toml::Value>,
    at_most: Option<toml::Value>,
    filled: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    key: Spanned<String>,
    label: Spanned<String>,
    unit: Spanned<String>,
    object: Spanned<String>,
    sum: Option<Spanned<String>>,
    #[serde(default, rename = "where")]
    conditions: Vec<Spanned<RawCondition>>,
    date: Option<Spanned<String>>,
    #[serde(default)]
    stock: bool,
    until: Option<Spanned<String>>,
    #[serde(default)]
    description: String,
}

/// Lines of a text, to turn byte offsets into line numbers.
struct Lines<'a>(&'a str);

impl Lines<'_> {
    fn of(&self, offset: usize) -> usize {
        let end = offset.min(self.0.len());
        self.0.as_bytes()[..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1
    }
}

/// Collects refusals while checking.
struct Errors<'a> {
    lines: Lines<'a>,
    list: Vec<DefinitionError>,
}

impl Errors<'_> {
    fn at<T>(&mut self, s: &Spanned<T>, message: impl Into<String>) {
        let line = self.lines.of(s.span().start);
        self.list.push(DefinitionError {
            line,
            message: message.into(),
        });
    }
}

/// Puts a TOML reader's message into officials' words where it is one of the usual ones.
fn reader_message(raw: &str) -> String {
    let msg = raw.trim();
    let quoted = |s: &str| -> Option<String> {
        let a = s.find('`')?;
        let b = s[a + 1..].find('`')?;
        Some(s[a + 1..a + 1 + b].to_string())
    };
    if msg.starts_with("unknown field") {
        return format!(
            "不认识的项“{}”",
            quoted(msg).unwrap_or_else(|| msg.to_string())
        );
    }
    if msg.starts_with("missing field") {
        return format!("缺少必填的项“{}”", quoted(msg).unwrap_or_default());
    }
    if msg.starts_with("unknown variant") {
        let got = quoted(msg).unwrap_or_default();
        let expected = msg
            .split_once("expected ")
            .map(|(_, e)| {
                e.replace('`', "")
                    .replace("one of ", "")
                    .replace(", ", "、")
            })
            .unwrap_or_default();
        return format!("不认识的取值“{got}”，可选：{expected}");
    }
    if msg.contains("duplicate key") {
        return format!("重复的键（{msg}）");
    }
    if msg.starts_with("invalid type") {
        return format!("取值的类型不对（{msg}）");
    }
    format!("无法读取（{msg}）")
}

fn key_ok(k: &str) -> bool {
    !k.is_empty()
        && k.len() <= 40
        && k.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && k.as_bytes()[0].is_ascii_lowercase()
}

fn date_of(d: &toml::value::Datetime) -> Option<NaiveDate> {
    match (d.date, d.time) {
        (Some(x), None) => {
            NaiveDate::from_ymd_opt(i32::from(x.year), u32::from(x.month), u32::from(x.day))
        }
        _ => None,
    }
}

/// 10^d.
pub(crate) fn pow10(d: u32) -> i64 {
    10_i64.saturating_pow(d)
}

impl Definition {
    /// Reads and checks a definition file. Every refusal is returned, each with its line.
    pub fn parse(src: &str) -> Result<Definition, Vec<DefinitionError>> {
        let lines = Lines(src);
        if src.len() > MAX_DEFINITION_BYTES {
            return Err(vec![DefinitionError {
                line: 1,
                message: format!("文件过大（上限 {} KB）", MAX_DEFINITION_BYTES / 1024),
            }]);
        }
        let raw: RawFile = toml::from_str(src).map_err(|e| {
            vec![DefinitionError {
                line: e.span().map(|s| lines.of(s.start)).unwrap_or(1),
                message: reader_message(e.message()),
            }]
        })?;
        let mut errs = Errors {
            lines,
            list: Vec::new(),
        };
        let def = check(raw, &mut errs);
        if errs.list.is_empty() {
            Ok(def)
        } else {
            errs.list.sort_by_key(|e| e.line);
            Err(errs.list)
        }
    }

    pub fn object(&self, key: &str) -> Option<&ObjectType> {
        self.objects.iter().find(|o| o.key == key)
    }

    pub fn indicators_of<'a>(&'a self, object: &'a str) -> impl Iterator<Item = &'a Indicator> {
        self.indicators.iter().filter(move |i| i.object == object)
    }

    /// Checks this definition as the next version of `prev`: the same campaign, a higher
    /// version, and every earlier object type and field kept with the same kind (a later
    /// version adds fields; rows recorded under the earlier one keep theirs).
    pub fn check_successor(&self, prev: &Definition) -> Result<(), Vec<DefinitionError>> {
        let mut out = Vec::new();
        if self.code != prev.code {
            out.push(DefinitionError {
                line: 1,
                message: format!("专项行动代码“{}”与已载入的“{}”不同", self.code, prev.code),
            });
        }
        for pi in &prev.indicators {
            if !self.indicators.iter().any(|i| i.key == pi.key) {
                out.push(DefinitionError {
                    line: 1,
                    message: format!(
                        "第{}版的指标“{}”（{}）不能删除：报告模板和考核细则可能引用它",
                        prev.version, pi.label, pi.key
                    ),
                });
            }
        }
        if self.version <= prev.version {
            out.push(DefinitionError {
                line: 1,
                message: format!(
                    "版本号应大于已载入的第{}版（本文件为第{}版）",
                    prev.version, self.version
                ),
            });
        }
        for po in &prev.objects {
            let Some(o) = self.object(&po.key) else {
                out.push(DefinitionError {
                    line: 1,
                    message: format!("第{}版的对象“{}”不能删除", prev.version, po.name),
                });
                continue;
            };
            for pf in &po.fields {
                match o.field(&pf.key) {
                    None => out.push(DefinitionError {
                        line: o.line,
                        message: format!(
                            "第{}版的字段“{}”（{}）不能删除：已登记的记录仍使用它",
                            prev.version, pf.label, pf.key
                        ),
                    }),
                    Some(f) if !f.kind.same_kind(&pf.kind) => out.push(DefinitionError {
                        line: f.line,
                        message: format!(
                            "字段“{}”的类型不能改变（第{}版为 {}）",
                            f.label,
                            prev.version,
                            pf.kind.code()
                        ),
                    }),
                    Some(f) => {
                        if let (
                            FieldKind::Choice { options: now },
                            FieldKind::Choice { options: was },
                        ) = (&f.kind, &pf.kind)
                            && let Some(gone) = was.iter().find(|w| !now.contains(w))
                        {
                            out.push(DefinitionError {
                                line: f.line,
                                message: format!(
                                    "字段“{}”的选项“{gone}”不能删除：已登记的记录可能使用它",
                                    f.label
                                ),
                            });
                        }
                    }
                }
            }
        }
        if out.is_empty() { Ok(()) } else { Err(out) }
    }
}

fn check(raw: RawFile, errs: &mut Errors<'_>) -> Definition {
    let c = raw.campaign;
    if !key_ok(c.code.get_ref()) {
        errs.at(
            &c.code,
            "专项行动代码应以小写字母开头，只含小写字母、数字和下划线，40个字符以内",
        );
    }
    if c.name.get_ref().trim().is_empty() || c.name.get_ref().chars().count() > 60 {
        errs.at(&c.name, "请填写专项行动名称（60字以内）");
    }
    let version = match u32::try_from(*c.version.get_ref()) {
        Ok(v) if v >= 1 => v,
        _ => {
            errs.at(&c.version, "版本号应为正整数");
            1
        }
    };
    let day = |d: &Option<Spanned<toml::value::Datetime>>, errs: &mut Errors<'_>| {
        let d = d.as_ref()?;
        let v = date_of(d.get_ref());
        if v.is_none() {
            errs.at(d, "日期应写为 YYYY-MM-DD（不带时间）");
        }
        v
    };
    let starts_on = day(&c.starts_on, errs);
    let ends_on = day(&c.ends_on, errs);
    if let (Some(a), Some(b), Some(e)) = (starts_on, ends_on, c.ends_on.as_ref())
        && b < a
    {
        errs.at(e, "结束日期不能早于开始日期");
    }
    if let Some(s) = &c.sector
        && s.get_ref().trim().is_empty()
    {
        errs.at(s, "行业领域代码不能为空");
    }
    if raw.objects.is_empty() {
        errs.list.push(DefinitionError {
            line: 1,
            message: "至少要声明一类登记对象（[[object]]）".into(),
        });
    }
    if raw.objects.len() > MAX_OBJECTS {
        errs.at(
            &raw.objects[MAX_OBJECTS],
            format!("对象类型不能超过{MAX_OBJECTS}类"),
        );
    }
    let mut objects: Vec<ObjectType> = Vec::new();
    for o in raw.objects {
        let line = errs.lines.of(o.span().start);
        let o = o.into_inner();
        if !key_ok(o.key.get_ref()) {
            errs.at(
                &o.key,
                "对象代码应以小写字母开头，只含小写字母、数字和下划线",
            );
        }
        if objects.iter().any(|x| &x.key == o.key.get_ref()) {
            errs.at(&o.key, format!("对象代码“{}”重复", o.key.get_ref()));
        }
        let ot = check_object(o, line, errs);
        objects.push(ot);
    }
    let mut indicators: Vec<Indicator> = Vec::new();
    if raw.indicators.len() > MAX_INDICATORS {
        errs.at(
            &raw.indicators[MAX_INDICATORS],
            format!("指标不能超过{MAX_INDICATORS}个"),
        );
    }
    for i in raw.indicators {
        let line = errs.lines.of(i.span().start);
        let i = i.into_inner();
        if !key_ok(i.key.get_ref()) {
            errs.at(
                &i.key,
                "指标代码应以小写字母开头，只含小写字母、数字和下划线",
            );
        }
        if indicators.iter().any(|x| &x.key == i.key.get_ref()) {
            errs.at(&i.key, format!("指标代码“{}”重复", i.key.get_ref()));
        }
        if let Some(ind) = check_indicator(i, line, &objects, errs) {
            indicators.push(ind);
        }
    }
    Definition {
        code: c.code.into_inner(),
        name: c.name.into_inner().trim().to_string(),
        version,
        sector: c.sector.map(|s| s.into_inner().trim().to_string()),
        starts_on,
        ends_on,
        description: c.description.trim().to_string(),
        objects,
        indicators,
    }
}

fn check_object(o: RawObject, line: usize, errs: &mut Errors<'_>) -> ObjectType {
    if o.name.get_ref().trim().is_empty() {
        errs.at(&o.name, "请填写对象名称");
    }
    if o.fields.is_empty() {
        errs.at(&o.key, "至少要声明一个字段（[[object.field]]）");
    }
    if o.fields.len() > MAX_FIELDS {
        errs.at(&o.fields[MAX_FIELDS], format!("字段不能超过{MAX_FIELDS}个"));
    }
    let mut fields: Vec<Field> = Vec::new();
    let mut pending: Vec<(usize, Spanned<RawCondition>)> = Vec::new();
    for f in o.fields {
        let fline = errs.lines.of(f.span().start);
        let mut f = f.into_inner();
        if !key_ok(f.key.get_ref()) {
            errs.at(
                &f.key,
                "字段代码应以小写字母开头，只含小写字母、数字和下划线",
            );
        }
        if fields.iter().any(|x| &x.key == f.key.get_ref()) {
            errs.at(&f.key, format!("字段“{}”重复", f.key.get_ref()));
        }
        if RESERVED_KEYS.contains(&f.key.get_ref().as_str()) {
            errs.at(
                &f.key,
                format!("“{}”是系统保留的名称，请换一个字段代码", f.key.get_ref()),
            );
        }
        if f.label.get_ref().trim().is_empty() {
            errs.at(&f.label, "请填写字段名称");
        }
        if let Some(c) = f.required_when.take() {
            if f.required {
                errs.at(
                    &c,
                    "该字段已设为必填（required = true），required_when 不起作用，请删去其中一项",
                );
            } else {
                pending.push((fields.len(), c));
            }
        }
        let kind = field_kind(&f, errs);
        fields.push(Field {
            key: f.key.into_inner(),
            label: f.label.into_inner().trim().to_string(),
            kind,
            required: f.required,
            required_when: None,
            help: f.help.trim().to_string(),
            line: fline,
        });
    }
    // Conditions may name any field of the object, before or after their own.
    for (i, c) in pending {
        if let Some(cond) = condition(c, &fields, errs)
            && let Some(f) = fields.get_mut(i)
        {
            f.required_when = Some(cond);
        }
    }
    let regions = fields
        .iter()
        .filter(|f| matches!(f.kind, FieldKind::Region))
        .count();
    if regions != 1 {
        errs.at(
            &o.key,
            "每类对象须有且只有一个“region”类型的字段（所在乡镇或村，决定谁能看到和填报）",
        );
    }
    if let Some(f) = fields
        .iter()
        .find(|f| matches!(f.kind, FieldKind::Region) && !f.required)
    {
        errs.list.push(DefinitionError {
            line: f.line,
            message: format!("所在地字段“{}”须为必填（required = true）", f.label),
        });
    }
    if fields
        .iter()
        .filter(|f| matches!(f.kind, FieldKind::Enterprise))
        .count()
        > 1
    {
        errs.at(&o.key, "每类对象最多一个“enterprise”类型的字段");
    }
    let title = match &o.title {
        Some(t) => {
            for k in t.get_ref() {
                match fields.iter().find(|f| &f.key == k) {
                    None => errs.at(t, format!("标题引用的字段“{k}”不存在")),
                    Some(f)
                        if matches!(
                            f.kind,
                            FieldKind::Attachment | FieldKind::Region | FieldKind::Enterprise
                        ) =>
                    {
                        errs.at(
                            t,
                            format!("“{k}”不能作标题：标题只用文本、数字、日期、选择或是否字段"),
                        )
                    }
                    Some(_) => {}
                }
            }
            if t.get_ref().is_empty() {
                errs.at(t, "标题至少引用一个字段");
            }
            t.get_ref().clone()
        }
        None => fields
            .iter()
            .find(|f| matches!(f.kind, FieldKind::Text { .. }))
            .or_else(|| {
                fields.iter().find(|f| {
                    !matches!(
                        f.kind,
                        FieldKind::Attachment | FieldKind::Region | FieldKind::Enterprise
                    )
                })
            })
            .map(|f| vec![f.key.clone()])
            .unwrap_or_default(),
    };
    let date = o.date.as_ref().map(|d| {
        date_field(d, &fields, errs);
        d.get_ref().clone()
    });
    let mut fill = Vec::new();
    if let Some(list) = &o.fill {
        for r in list.get_ref() {
            match Role::parse(r) {
                Some(role) if !matches!(role, Role::Leader) => fill.push(role),
                _ => errs.at(
                    list,
                    format!(
                        "填报角色“{r}”不认识，可选：admin、township、department、inspector、enterprise、supervisor"
                    ),
                ),
            }
        }
    } else {
        fill = vec![Role::Admin, Role::Township];
    }
    let cadence = o
        .cadence
        .as_ref()
        .map(|c| *c.get_ref())
        .unwrap_or(Cadence::None);
    let due_days = match &o.due_days {
        None => 5,
        Some(d) => match u32::try_from(*d.get_ref()) {
            Ok(v) if v <= 60 => v,
            _ => {
                errs.at(d, "报送期限应为 0 到 60 天");
                5
            }
        },
    };
    let mut hazard_when = Vec::new();
    for c in o.hazard_when {
        if let Some(cond) = condition(c, &fields, errs) {
            hazard_when.push(cond);
        }
    }
    ObjectType {
        key: o.key.into_inner(),
        name: o.name.into_inner().trim().to_string(),
        fields,
        title,
        date,
        fill,
        cadence,
        due_days,
        hazard_when,
        line,
    }
}

fn date_field(d: &Spanned<String>, fields: &[Field], errs: &mut Errors<'_>) {
    match fields.iter().find(|f| &f.key == d.get_ref()) {
        None => errs.at(d, format!("日期字段“{}”不存在", d.get_ref())),
        Some(f) if !matches!(f.kind, FieldKind::Date) => {
            errs.at(d, format!("“{}”不是日期字段", f.label))
        }
        Some(_) => {}
    }
}

fn field_kind(f: &RawField, errs: &mut Errors<'_>) -> FieldKind {
    let kind = *f.kind.get_ref();
    let only = |present: bool, what: &str, k: RawKind, errs: &mut Errors<'_>| {
        if present && kind != k {
            errs.at(&f.kind, format!("“{what}”只用于{}字段", kind_word(k)));
        }
    };
    only(f.max_len.is_some(), "max_len", RawKind::Text, errs);
    only(f.pattern.is_some(), "pattern", RawKind::Text, errs);
    only(
        f.pattern_hint.is_some(),
        "pattern_hint",
        RawKind::Text,
        errs,
    );
    only(f.unit.is_some(), "unit", RawKind::Number, errs);
    only(f.decimals.is_some(), "decimals", RawKind::Number, errs);
    only(f.min.is_some(), "min", RawKind::Number, errs);
    only(f.max.is_some(), "max", RawKind::Number, errs);
    only(f.options.is_some(), "options", RawKind::Choice, errs);
    match kind {
        RawKind::Text => {
            let max_len = match &f.max_len {
                None => 200,
                Some(m) => match usize::try_from(*m.get_ref()) {
                    Ok(v) if (1..=2000).contains(&v) => v,
                    _ => {
                        errs.at(m, "max_len 应为 1 到 2000");
                        200
                    }
                },
            };
            if let Some(p) = &f.pattern {
                let ok = regex_lite::RegexBuilder::new(p.get_ref())
                    .size_limit(1 << 20)
                    .build()
                    .is_ok();
                if !ok || p.get_ref().len() > 500 {
                    errs.at(p, "正则表达式写法有误");
                }
            }
            FieldKind::Text {
                max_len,
                pattern: f.pattern.as_ref().map(|p| p.get_ref().clone()),
                pattern_hint: f.pattern_hint.clone(),
            }
        }
        RawKind::Number => {
            let decimals = match &f.decimals {
                None => 0,
                Some(d) => match u32::try_from(*d.get_ref()) {
                    Ok(v) if v <= 4 => v,
                    _ => {
                        errs.at(d, "小数位数应为 0 到 4");
                        0
                    }
                },
            };
            let scale = pow10(decimals) as f64;
            let bound = |b: &Option<Spanned<f64>>, errs: &mut Errors<'_>| -> Option<i64> {
                let b = b.as_ref()?;
                let v = b.get_ref() * scale;
                if !v.is_finite() || v.abs() > 1e15 || (v - v.round()).abs() > 1e-6 {
                    errs.at(b, format!("界限应为不超过{decimals}位小数的数"));
                    return None;
                }
                Some(v.round() as i64)
            };
            let min = bound(&f.min, errs).unwrap_or(0);
            let max = bound(&f.max, errs);
            if let (Some(hi), Some(m)) = (max, &f.max)
                && hi < min
            {
                errs.at(m, "max 不能小于 min");
            }
            FieldKind::Number {
                unit: f
                    .unit
                    .as_ref()
                    .map(|u| u.get_ref().trim().to_string())
                    .unwrap_or_default(),
                decimals,
                min,
                max,
            }
        }
        RawKind::Date => FieldKind::Date,
        RawKind::Choice => {
            let options = match &f.options {
                None => {
                    errs.at(&f.kind, "选择字段须列出选项（options）");
                    Vec::new()
                }
                Some(o) => {
                    let list: Vec<String> =
                        o.get_ref().iter().map(|s| s.trim().to_string()).collect();
                    if list.is_empty() || list.len() > MAX_OPTIONS {
                        errs.at(o, format!("选项应为 1 到 {MAX_OPTIONS} 个"));
                    }
                    for (i, a) in list.iter().enumerate() {
                        if a.is_empty() {
                            errs.at(o, "选项不能为空");
                        } else if list[..i].contains(a) {
                            errs.at(o, format!("选项“{a}”重复"));
                        }
                    }
                    list
                }
            };
            FieldKind::Choice { options }
        }
        RawKind::Yesno => FieldKind::YesNo,
        RawKind::Region => FieldKind::Region,
        RawKind::Enterprise => FieldKind::Enterprise,
        RawKind::Attachment => FieldKind::Attachment,
    }
}

fn kind_word(k: RawKind) -> &'static str {
    match k {
        RawKind::Text => "文本（text）",
        RawKind::Number => "数字（number）",
        RawKind::Choice => "选择（choice）",
        _ => "相应",
    }
}

/// Reads a condition against the fields it names: the literal is read as that field's value.
fn condition(
    c: Spanned<RawCondition>,
    fields: &[Field],
    errs: &mut Errors<'_>,
) -> Option<Condition> {
    let raw = c.get_ref();
    let Some(field) = fields.iter().find(|f| &f.key == raw.field.get_ref()) else {
        errs.at(
            &raw.field,
            format!("条件引用的字段“{}”不存在", raw.field.get_ref()),
        );
        return None;
    };
    let ops = [
        raw.equals.is_some(),
        raw.any_of.is_some(),
        raw.at_least.is_some(),
        raw.at_most.is_some(),
        raw.filled.is_some(),
    ]
    .iter()
    .filter(|x| **x)
    .count();
    if ops != 1 {
        errs.at(
            &c,
            "条件须且只须写 equals、in、at_least、at_most、filled 中的一项",
        );
        return None;
    }
    let lit = |v: &toml::Value, errs: &mut Errors<'_>| -> Option<Value> {
        let got = literal(field, v);
        if got.is_none() {
            errs.at(
                &c,
                format!(
                    "条件的取值“{}”不是字段“{}”可能的值",
                    lit_text(v),
                    field.label
                ),
            );
        }
        got
    };
    let test = if let Some(v) = &raw.equals {
        Test::Equals(lit(v, errs)?)
    } else if let Some(list) = &raw.any_of {
        if list.is_empty() {
            errs.at(&c, "in 至少要列出一个取值（空列表的条件永远不成立）");
            return None;
        }
        let mut out = Vec::new();
        for v in list {
            out.push(lit(v, errs)?);
        }
        Test::In(out)
    } else if let Some(v) = raw.at_least.as_ref().or(raw.at_most.as_ref()) {
        if !matches!(field.kind, FieldKind::Number { .. } | FieldKind::Date) {
            errs.at(
                &c,
                format!(
                    "at_least / at_most 只用于数字或日期字段（“{}”）",
                    field.label
                ),
            );
            return None;
        }
        let v = lit(v, errs)?;
        if raw.at_least.is_some() {
            Test::AtLeast(v)
        } else {
            Test::AtMost(v)
        }
    } else {
        Test::Filled(raw.filled.unwrap_or(true))
    };
    Some(Condition {
        field: field.key.clone(),
        test,
    })
}

fn lit_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Datetime(d) => d.to_string(),
        _ => "…".into(),
    }
}

/// A TOML literal as the stored value of `field`, if it can be one.
fn literal(field: &Field, v: &toml::Value) -> Option<Value> {
    match (&field.kind, v) {
        (FieldKind::Choice { options }, toml::Value::String(s)) => options
            .iter()
            .any(|o| o == s.trim())
            .then(|| Value::String(s.trim().to_string())),
        (FieldKind::Text { .. }, toml::Value::String(s)) => Some(Value::String(s.clone())),
        (FieldKind::YesNo, toml::Value::Boolean(b)) => Some(Value::Bool(*b)),
        (FieldKind::YesNo, toml::Value::String(s)) => super::value::yes_no(s).map(Value::Bool),
        (FieldKind::Number { decimals, .. }, toml::Value::Integer(i)) => {
            i.checked_mul(pow10(*decimals)).map(Value::from)
        }
        (FieldKind::Number { decimals, .. }, toml::Value::Float(f)) => {
            let x = f * pow10(*decimals) as f64;
            (x.is_finite() && (x - x.round()).abs() < 1e-6).then(|| Value::from(x.round() as i64))
        }
        (FieldKind::Date, toml::Value::Datetime(d)) => {
            date_of(d).map(|d| Value::String(d.format("%Y-%m-%d").to_string()))
        }
        (FieldKind::Date, toml::Value::String(s)) => crate::validation::parse_date(s)
            .ok()
            .map(|d| Value::String(d.format("%Y-%m-%d").to_string())),
        _ => None,
    }
}

fn check_indicator(
    i: RawIndicator,
    line: usize,
    objects: &[ObjectType],
    errs: &mut Errors<'_>,
) -> Option<Indicator> {
    if i.label.get_ref().trim().is_empty() {
        errs.at(&i.label, "请填写指标名称");
    }
    let Some(o) = objects.iter().find(|o| &o.key == i.object.get_ref()) else {
        errs.at(
            &i.object,
            format!("指标引用的对象“{}”不存在", i.object.get_ref()),
        );
        return None;
    };
    let mut scale = 1;
    let agg = match &i.sum {
        None => IndicatorAgg::Count,
        Some(s) => match o.field(s.get_ref()) {
            None => {
                errs.at(s, format!("指标求和的字段“{}”不存在", s.get_ref()));
                return None;
            }
            Some(f) => match &f.kind {
                FieldKind::Number { decimals, .. } => {
                    scale = pow10(*decimals);
                    IndicatorAgg::Sum(f.key.clone())
                }
                _ => {
                    errs.at(s, format!("只能对数字字段求和（“{}”不是）", f.label));
                    return None;
                }
            },
        },
    };
    let mut conditions = Vec::new();
    for c in i.conditions {
        conditions.push(condition(c, &o.fields, errs)?);
    }
    if let Some(d) = &i.date {
        date_field(d, &o.fields, errs);
    }
    if let Some(u) = &i.until {
        date_field(u, &o.fields, errs);
        if !i.stock {
            errs.at(u, "until 只用于存量指标（stock = true）");
        }
    }
    Some(Indicator {
        key: i.key.into_inner(),
        label: i.label.into_inner().trim().to_string(),
        unit: i.unit.into_inner().trim().to_string(),
        object: o.key.clone(),
        agg,
        conditions,
        date: i.date.map(Spanned::into_inner),
        stock: i.stock,
        until: i.until.map(Spanned::into_inner),
        scale,
        description: i.description.trim().to_string(),
        line,
    })
}
