//! Accountability (约谈、通报批评、问责): records of the persons interviewed and of the decisions
//! about townships, departments, enterprises or persons, each with its theme and the records
//! it refers to. The 安委办 keeps them ([`Permission::DecideAsCountyOffice`]); a township sees
//! the records about itself, a department those about itself, leaders everything. The
//! report's "对N个乡镇进行了问责处理，约谈N人次" is counted from them
//! (`accountability.townships.*`, `accountability.interviewed.*`).

mod ledger;
pub use ledger::{ACCOUNTABILITY_IMPORT, refs_from_text, refs_to_text};

use crate::{App, Caller, Keyset, Page, Result};
use anjian_domain::ValidationErrors;
use anjian_domain::accountability::{Kind, Person, RefKind, Reference, TargetKind, Theme};
use anjian_domain::scope::{Attachment, Permission};
use anjian_domain::validation::{parse_date, required_text};
use anjian_store::accountability::{Accountability, AccountabilityFilter, AccountabilityInput};
use serde::{Deserialize, Serialize};

/// A linked record as typed: its kind (隐患/事故/考核/其他 or the code) and the reference
/// (a hazard's number; a description otherwise).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefDraft {
    /// hazard（隐患）| accident（事故）| assessment（考核）| other
    pub kind: String,
    pub reference: String,
}

/// A record as a form or the API submits it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountabilityDraft {
    /// interview（警示约谈）| criticism（通报批评）| accountability（问责）
    pub kind: String,
    /// forest_fire（森林防灭火）| hazards（隐患治理）| accident（生产安全事故）| other
    pub theme: String,
    /// township | department | enterprise | person
    pub target_kind: String,
    /// The township (region code or name), the department (number or name), the enterprise
    /// (number, name or 统一社会信用代码); for a person, empty (the first of `persons`).
    #[serde(default)]
    pub target: String,
    /// For a person: the township (region code) of the person's unit; the county if empty.
    #[serde(default)]
    pub region_code: Option<String>,
    /// The persons interviewed or held accountable (at least one for an interview or a
    /// person).
    #[serde(default)]
    pub persons: Vec<Person>,
    /// 处理措施 (required for 问责; 通报批评 when left empty for a criticism).
    #[serde(default)]
    pub measure: String,
    pub decided_by: String,
    pub decided_on: String,
    pub reason: String,
    #[serde(default)]
    pub refs: Vec<RefDraft>,
    #[serde(default)]
    pub doc_no: String,
}

impl From<&Accountability> for AccountabilityDraft {
    fn from(a: &Accountability) -> Self {
        Self {
            kind: a.kind.as_str().into(),
            theme: a.theme.as_str().into(),
            target_kind: a.target_kind.as_str().into(),
            target: match a.target_kind {
                TargetKind::Township => a.region_code.clone(),
                TargetKind::Department => {
                    a.department_id.map(|d| d.to_string()).unwrap_or_default()
                }
                TargetKind::Enterprise => {
                    a.enterprise_id.map(|d| d.to_string()).unwrap_or_default()
                }
                TargetKind::Person => String::new(),
            },
            region_code: (a.target_kind == TargetKind::Person).then(|| a.region_code.clone()),
            persons: a.persons.clone(),
            measure: a.measure.clone(),
            decided_by: a.decided_by.clone(),
            decided_on: a.decided_on.to_string(),
            reason: a.reason.clone(),
            refs: a
                .refs
                .iter()
                .map(|r| RefDraft {
                    kind: r.kind.as_str().into(),
                    reference: r
                        .id
                        .map(|i| i.to_string())
                        .unwrap_or_else(|| r.text.clone()),
                })
                .collect(),
            doc_no: a.doc_no.clone(),
        }
    }
}

/// Which records to list: as typed.
#[derive(Debug, Clone, Default)]
pub struct AccountabilityQuery {
    pub year: Option<String>,
    pub kind: Option<String>,
    pub theme: Option<String>,
    pub target_kind: Option<String>,
    /// A township's region code.
    pub region: Option<String>,
}

/// A record with the words a page shows.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccountabilityView {
    #[serde(flatten)]
    pub record: Accountability,
    pub kind_label: String,
    pub theme_label: String,
    pub target_kind_label: String,
}

impl From<Accountability> for AccountabilityView {
    fn from(record: Accountability) -> Self {
        Self {
            kind_label: record.kind.label().into(),
            theme_label: record.theme.label().into(),
            target_kind_label: record.target_kind.label().into(),
            record,
        }
    }
}

/// What the caller may read: its scope, and for a department's users their department.
fn own_department(caller: &Caller) -> Option<i64> {
    (caller.role.attachment() == Attachment::Department)
        .then_some(caller.user.department_id)
        .flatten()
}

fn coded<T: Copy>(
    e: &mut ValidationErrors,
    field: &str,
    typed: &str,
    read: impl Fn(&str) -> Option<T>,
    msg: &str,
) -> Option<T> {
    let v = read(typed);
    if v.is_none() {
        e.add(field, msg);
    }
    v
}

impl App {
    /// Checks a record: its codes, its target in the caller's county and scope, its persons,
    /// dates and linked records.
    pub(crate) fn validate_accountability(
        &self,
        caller: &Caller,
        d: &AccountabilityDraft,
    ) -> Result<std::result::Result<AccountabilityInput, ValidationErrors>> {
        let mut e = ValidationErrors::new();
        let kind = coded(
            &mut e,
            "kind",
            &d.kind,
            Kind::from_words,
            "类型应为警示约谈、通报批评或问责",
        );
        let theme = coded(
            &mut e,
            "theme",
            &d.theme,
            Theme::from_words,
            "主题应为森林防灭火、隐患治理、生产安全事故或其他",
        );
        let target_kind = coded(
            &mut e,
            "target_kind",
            &d.target_kind,
            TargetKind::from_words,
            "对象类别应为乡镇（街道）、部门、企业或个人",
        );
        let county = crate::leaders::county_of(caller)?;
        let mut persons = Vec::new();
        for (i, p) in d.persons.iter().enumerate() {
            let name = required_text(&mut e, &format!("persons[{i}].name"), "姓名", &p.name, 30);
            if p.post.chars().count() > 60 {
                e.add(&format!("persons[{i}].post"), "职务不能超过60个字");
            }
            if p.unit.chars().count() > 100 {
                e.add(&format!("persons[{i}].unit"), "单位不能超过100个字");
            }
            persons.push(Person {
                name,
                post: p.post.trim().to_string(),
                unit: p.unit.trim().to_string(),
            });
        }
        if persons.len() > 100 {
            e.add("persons", "一条记录最多列100人");
        }
        let needs_person = kind == Some(Kind::Interview) || target_kind == Some(TargetKind::Person);
        if needs_person && persons.is_empty() {
            e.add("persons", "请填写被约谈或被问责的人员（姓名、职务、单位）");
        }
        let (mut region, mut department_id, mut enterprise_id, mut target_name) =
            (String::new(), None, None, String::new());
        let target = d.target.trim();
        match target_kind {
            Some(TargetKind::Township) => {
                let names = self.target_names(&county)?;
                match names.code(anjian_domain::leader::AreaKind::Township, target) {
                    Some(c) if caller.scope.admits_region(&c) => {
                        target_name = names.name(anjian_domain::leader::AreaKind::Township, &c);
                        region = c;
                    }
                    _ => e.add(
                        "target",
                        format!("乡镇（街道）“{target}”不存在或不在管辖范围内"),
                    ),
                }
            }
            Some(TargetKind::Department) => {
                let deps = self
                    .store
                    .list_departments(&caller.scope, self.clock.today())?;
                match deps.iter().find(|x| {
                    x.id.to_string() == target || x.name == target || x.short_name == target
                }) {
                    Some(dep) => {
                        region = dep.region_code.clone();
                        department_id = Some(dep.id);
                        target_name = dep.name.clone();
                    }
                    None => e.add("target", format!("部门“{target}”不存在")),
                }
            }
            Some(TargetKind::Enterprise) => match self.resolve_enterprise(caller, target)? {
                Ok(Some(id)) => {
                    let ent = self.get_enterprise(caller, id)?;
                    region = ent.region_code.clone();
                    enterprise_id = Some(id);
                    target_name = ent.name.clone();
                }
                Ok(None) => e.add("target", "请填写企业名称或统一社会信用代码"),
                Err(m) => e.add("target", m),
            },
            Some(TargetKind::Person) => {
                region = match d
                    .region_code
                    .as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                {
                    Some(r) => {
                        let names = self.target_names(&county)?;
                        match names.code(anjian_domain::leader::AreaKind::Township, r) {
                            Some(c) => c,
                            None if r == county => county.clone(),
                            None => {
                                e.add("region_code", format!("乡镇（街道）“{r}”不存在"));
                                String::new()
                            }
                        }
                    }
                    None => county.clone(),
                };
                target_name = persons.first().map(|p| p.name.clone()).unwrap_or_default();
            }
            None => {}
        }
        if !region.is_empty() && !caller.scope.admits_region(&region) {
            e.add("target", "对象不在管辖范围内");
        }
        let measure = match (kind, d.measure.trim()) {
            (Some(Kind::Accountability), "") => {
                e.add(
                    "measure",
                    "请填写问责措施（如诫勉谈话、通报批评、党内警告、政务记过）",
                );
                String::new()
            }
            (Some(Kind::Criticism), "") => "通报批评".into(),
            (_, m) if m.chars().count() > 100 => {
                e.add("measure", "处理措施不能超过100个字");
                m.to_string()
            }
            (_, m) => m.to_string(),
        };
        let decided_by = required_text(&mut e, "decided_by", "决定机关", &d.decided_by, 60);
        let reason = required_text(&mut e, "reason", "事由", &d.reason, 1000);
        let decided_on = e.check("decided_on", parse_date(&d.decided_on));
        if let Some(day) = decided_on
            && day > self.clock.today()
        {
            e.add("decided_on", "日期不能晚于今天");
        }
        let mut refs = Vec::new();
        for (i, r) in d.refs.iter().enumerate() {
            let field = format!("refs[{i}]");
            let Some(k) = RefKind::from_words(&r.kind) else {
                e.add(&field, "关联记录的类型应为隐患、事故、考核或其他");
                continue;
            };
            let text = r.reference.trim();
            if text.is_empty() {
                e.add(&field, "请填写关联记录");
                continue;
            }
            if text.chars().count() > 200 {
                e.add(&field, "关联记录不能超过200个字");
                continue;
            }
            if k == RefKind::Hazard {
                match text.trim_start_matches('#').parse::<i64>() {
                    Ok(id) if self.store.get_hazard(&caller.scope, id).is_ok() => {
                        refs.push(Reference {
                            kind: k,
                            id: Some(id),
                            text: String::new(),
                        })
                    }
                    _ => e.add(&field, format!("隐患“{text}”不存在或不在管辖范围内")),
                }
            } else {
                refs.push(Reference {
                    kind: k,
                    id: None,
                    text: text.to_string(),
                });
            }
        }
        let doc_no = d.doc_no.trim().to_string();
        if doc_no.chars().count() > 60 {
            e.add("doc_no", "文号不能超过60个字");
        }
        if !e.is_empty() {
            return Ok(Err(e));
        }
        let (Some(kind), Some(theme), Some(target_kind), Some(decided_on)) =
            (kind, theme, target_kind, decided_on)
        else {
            return Ok(Err(ValidationErrors::single("kind", "类型不正确")));
        };
        Ok(Ok(AccountabilityInput {
            region_code: region,
            kind,
            theme,
            target_kind,
            department_id,
            enterprise_id,
            target_name,
            persons,
            measure,
            decided_by,
            decided_on,
            reason,
            refs,
            doc_no,
        }))
    }

    /// Records an interview, a criticism or an accountability decision (安委办).
    pub fn create_accountability(
        &self,
        caller: &Caller,
        d: &AccountabilityDraft,
    ) -> Result<AccountabilityView> {
        caller.require(Permission::DecideAsCountyOffice)?;
        let input = self.validate_accountability(caller, d)??;
        Ok(self
            .store
            .create_accountability(&caller.change(&caller.scope, self), &input)?
            .into())
    }

    /// Corrects a record if `version` is still the one read (安委办).
    pub fn update_accountability(
        &self,
        caller: &Caller,
        id: i64,
        version: i64,
        d: &AccountabilityDraft,
    ) -> Result<AccountabilityView> {
        caller.require(Permission::DecideAsCountyOffice)?;
        self.store
            .get_accountability(&caller.scope, own_department(caller), id)?;
        let input = self.validate_accountability(caller, d)??;
        Ok(self
            .store
            .update_accountability(&caller.change(&caller.scope, self), id, version, &input)?
            .into())
    }

    /// Deletes a record entered by mistake (安委办; the audit trail keeps it).
    pub fn delete_accountability(&self, caller: &Caller, id: i64, version: i64) -> Result<()> {
        caller.require(Permission::DecideAsCountyOffice)?;
        Ok(self
            .store
            .delete_accountability(&caller.change(&caller.scope, self), id, version)?)
    }

    /// A record in the caller's scope; out of scope answers like missing.
    pub fn accountability(&self, caller: &Caller, id: i64) -> Result<AccountabilityView> {
        caller.require(Permission::ViewCountyWork)?;
        Ok(self
            .store
            .get_accountability(&caller.scope, own_department(caller), id)?
            .into())
    }

    fn accountability_filter(&self, q: &AccountabilityQuery) -> Result<AccountabilityFilter> {
        let mut e = ValidationErrors::new();
        let mut f = AccountabilityFilter::default();
        let given = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        if let Some(y) = given(&q.year) {
            match y.parse::<i32>().ok().and_then(|y| {
                Some((
                    chrono::NaiveDate::from_ymd_opt(y, 1, 1)?,
                    chrono::NaiveDate::from_ymd_opt(y, 12, 31)?,
                ))
            }) {
                Some((from, to)) => {
                    f.from = Some(from);
                    f.to = Some(to);
                }
                None => e.add("year", "年度应为四位数字"),
            }
        }
        if let Some(k) = given(&q.kind) {
            f.kind = coded(
                &mut e,
                "kind",
                &k,
                Kind::from_words,
                "类型应为警示约谈、通报批评或问责",
            );
        }
        if let Some(t) = given(&q.theme) {
            f.theme = coded(
                &mut e,
                "theme",
                &t,
                Theme::from_words,
                "主题应为森林防灭火、隐患治理、生产安全事故或其他",
            );
        }
        if let Some(t) = given(&q.target_kind) {
            f.target_kind = coded(
                &mut e,
                "target_kind",
                &t,
                TargetKind::from_words,
                "对象类别应为乡镇（街道）、部门、企业或个人",
            );
        }
        if let Some(r) = given(&q.region) {
            match anjian_domain::RegionCode::parse(&r) {
                Ok(c) => f.region_prefix = Some(c.subtree_prefix().to_string()),
                Err(m) => e.add("region", m),
            }
        }
        e.into_result()?;
        Ok(f)
    }

    /// One page of the records in the caller's scope, newest first.
    pub fn accountability_page(
        &self,
        caller: &Caller,
        q: &AccountabilityQuery,
        k: &Keyset,
    ) -> Result<Page<AccountabilityView>> {
        caller.require(Permission::ViewCountyWork)?;
        let f = self.accountability_filter(q)?;
        crate::page_of(
            self.store
                .list_accountability(&caller.scope, own_department(caller), &f, k)?,
            |a| Ok(a.into()),
        )
    }

    /// Every record in the caller's scope matching the query.
    pub fn accountability_records(
        &self,
        caller: &Caller,
        q: &AccountabilityQuery,
    ) -> Result<Vec<AccountabilityView>> {
        caller.require(Permission::ViewCountyWork)?;
        let f = self.accountability_filter(q)?;
        crate::every(
            |k| {
                self.store
                    .list_accountability(&caller.scope, own_department(caller), &f, k)
            },
            |a| Ok(a.into()),
        )
    }
}
