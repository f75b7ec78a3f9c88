//! Emergency resources (应急资源): the county, its departments and townships keep their rescue
//! teams, experts, equipment and supplies, depots and shelters, with places, coordinates and
//! the day each was last checked; each kind is checked on the county's cycle
//! (`emergency_check_days.<kind>`, defaulting to `ResourceKind::default_check_days`), and what
//! falls due is on the keeper's to-do list. The ledger exports and imports the same columns.

pub mod chain;

use crate::import::{Column, ImportOptions, ImportReport, RowErrors, Table, map_columns};
use crate::{App, AppError, Caller, Result};
use anjian_domain::ValidationErrors;
use anjian_domain::emergency::{self as rules, Details, ResourceKind};
use anjian_domain::phone::parse_phone;
use anjian_domain::scope::Permission;
use anjian_domain::validation::parse_date;
use anjian_store::StoreError;
use anjian_store::emergency::{Resource, ResourceCheck, ResourceFilter, ResourceInput};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A resource as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ResourceDraft {
    /// 救援队伍 / 应急专家 / 装备物资 / 物资储备库 / 避难场所 (codes or words).
    pub kind: String,
    pub name: String,
    /// The keeping township (or the county); empty for the caller's own.
    #[serde(default)]
    pub region_code: String,
    /// The keeping department's id, if a department keeps it.
    #[serde(default)]
    pub department_id: String,
    #[serde(default)]
    pub members: String,
    /// A team's speciality, an expert's field.
    #[serde(default)]
    pub speciality: String,
    #[serde(default)]
    pub quantity: String,
    #[serde(default)]
    pub unit: String,
    /// A shelter's people, a depot's m².
    #[serde(default)]
    pub capacity: String,
    /// The depot holding a supply (its id).
    #[serde(default)]
    pub depot_id: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub address: String,
    /// 经度, 纬度 (decimal degrees, WGS-84), both or neither.
    #[serde(default)]
    pub lng: String,
    #[serde(default)]
    pub lat: String,
    #[serde(default)]
    pub last_checked_on: String,
    #[serde(default)]
    pub note: String,
}

/// A periodic check as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CheckDraft {
    pub checked_on: String,
    /// 正常 / 有问题 (是/否 also read: 正常 is 是).
    #[serde(default)]
    pub ok: String,
    #[serde(default)]
    pub note: String,
}

/// A resource with the day its next check is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ResourceView {
    #[serde(flatten)]
    pub record: Resource,
    pub kind_label: String,
    pub next_check: NaiveDate,
    /// The next check is due (today or before).
    pub check_due: bool,
}

/// A resource whose check falls due within the to-do window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ResourceCheckTodo {
    pub resource_id: i64,
    /// "救援队伍 临江镇防汛抢险队（临江镇）".
    pub title: String,
    pub due: NaiveDate,
    pub overdue: bool,
}

/// The columns of the ledger and of its import.
pub static RESOURCE_COLUMNS: [Column; 16] = [
    Column::new("kind", "类别", &["资源类别"]).required(),
    Column::new("name", "名称", &["资源名称", "队伍名称", "姓名"]).required(),
    Column::new("region", "所属乡镇（街道）", &["乡镇", "所属乡镇", "区划"]),
    Column::new("department", "所属部门", &["部门"]),
    Column::new("members", "人数", &["队伍人数"]),
    Column::new(
        "speciality",
        "专长（专业领域）",
        &["专长", "专业领域", "专业"],
    ),
    Column::new("quantity", "数量", &[]),
    Column::new("unit", "单位", &["计量单位"]),
    Column::new("capacity", "容量（人/平方米）", &["容量", "可容纳人数"]),
    Column::new("depot", "存放储备库", &["储备库", "存放地点"]),
    Column::new("contact", "负责人", &["联系人"]),
    Column::new("phone", "联系电话", &["电话"]),
    Column::new("address", "地址", &["位置"]),
    Column::new("lng", "经度", &[]),
    Column::new("lat", "纬度", &[]),
    Column::new(
        "last_checked_on",
        "最近检查日期",
        &["检查日期", "最近点验日期"],
    ),
];

fn number(e: &mut ValidationErrors, field: &str, label: &str, s: &str) -> Option<i64> {
    match s.trim() {
        "" => None,
        t => match t.parse::<i64>() {
            Ok(n) if (1..=10_000_000).contains(&n) => Some(n),
            _ => {
                e.add(field, format!("{label}应为正整数"));
                None
            }
        },
    }
}

impl App {
    fn require_resource_keeper(&self, caller: &Caller) -> Result<()> {
        if caller.scope.writable && caller.can(Permission::ManageEmergencyResources) {
            Ok(())
        } else {
            Err(caller.refuse("登记应急资源"))
        }
    }

    /// The county's check cycle of each kind, in days.
    pub fn resource_check_days(&self) -> Result<BTreeMap<ResourceKind, i64>> {
        let mut out = BTreeMap::new();
        for k in ResourceKind::ALL {
            let days = self
                .store
                .setting(&k.setting_key())?
                .and_then(|v| v.trim().parse::<i64>().ok())
                .filter(|d| (1..=3660).contains(d))
                .unwrap_or_else(|| k.default_check_days());
            out.insert(*k, days);
        }
        Ok(out)
    }

    /// Checks a resource as typed (the depot and the department are named by id; the import
    /// resolves names first).
    pub(crate) fn validate_resource(
        &self,
        caller: &Caller,
        d: &ResourceDraft,
    ) -> std::result::Result<ResourceInput, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let kind = ResourceKind::from_words(&d.kind);
        if kind.is_none() {
            let all: Vec<&str> = ResourceKind::ALL.iter().map(|k| k.label()).collect();
            e.add("kind", format!("类别应为：{}", all.join("、")));
        }
        let name = anjian_domain::validation::required_text(&mut e, "name", "名称", &d.name, 100);
        let region = match d.region_code.trim() {
            "" => caller.user.region_code.clone(),
            r => r.to_string(),
        };
        if anjian_domain::RegionCode::parse(&region).is_err() {
            e.add("region_code", "请选择所属乡镇（街道）");
        }
        let department_id = match d.department_id.trim() {
            "" => caller.user.department_id,
            t => match t.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => {
                    e.add("department_id", "所属部门无法识别");
                    None
                }
            },
        };
        let members = number(&mut e, "members", "人数", &d.members);
        let quantity = number(&mut e, "quantity", "数量", &d.quantity);
        let capacity = number(&mut e, "capacity", "容量", &d.capacity);
        let depot_id = match d.depot_id.trim() {
            "" => None,
            t => match t.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => {
                    e.add("depot_id", "存放储备库无法识别");
                    None
                }
            },
        };
        let phone = match d.phone.trim() {
            "" => String::new(),
            p => match parse_phone(p) {
                Ok(p) => p,
                Err(m) => {
                    e.add("phone", m);
                    String::new()
                }
            },
        };
        if let Some(k) = kind {
            let details = Details {
                members,
                speciality: d.speciality.clone(),
                quantity,
                unit: d.unit.clone(),
                capacity,
                phone: if e.fields.contains_key("phone") {
                    d.phone.clone()
                } else {
                    phone.clone()
                },
            };
            for (f, m) in rules::missing(k, &details) {
                if !e.fields.contains_key(f) {
                    e.add(f, m);
                }
            }
            if depot_id.is_some() && k != ResourceKind::Supply {
                e.add("depot_id", "只有装备物资填写存放储备库");
            }
        }
        let point = match (d.lng.trim(), d.lat.trim()) {
            ("", "") => None,
            (lng, lat) => match (rules::parse_degrees(lng), rules::parse_degrees(lat)) {
                (Some(a), Some(b)) => match rules::check_point(a, b) {
                    Ok(()) => Some((a, b)),
                    Err(m) => {
                        e.add(
                            if m.starts_with("经度") {
                                "lng"
                            } else {
                                "lat"
                            },
                            m,
                        );
                        None
                    }
                },
                (None, _) => {
                    e.add("lng", "经度应为十进制度数（最多6位小数），经纬度须同时填写");
                    None
                }
                (_, None) => {
                    e.add("lat", "纬度应为十进制度数（最多6位小数），经纬度须同时填写");
                    None
                }
            },
        };
        let last_checked_on = match d.last_checked_on.trim() {
            "" => None,
            t => match parse_date(t) {
                Ok(day) if day > self.clock.today() => {
                    e.add("last_checked_on", "检查日期不能晚于今天");
                    None
                }
                Ok(day) => Some(day),
                Err(m) => {
                    e.add("last_checked_on", m);
                    None
                }
            },
        };
        e.into_result()?;
        let text = |s: &str, n: usize| -> String { s.trim().chars().take(n).collect() };
        Ok(ResourceInput {
            region_code: region,
            department_id,
            kind: kind.unwrap_or(ResourceKind::Depot),
            name,
            members,
            speciality: text(&d.speciality, 100),
            quantity,
            unit: text(&d.unit, 10),
            capacity,
            depot_id,
            contact: text(&d.contact, 30),
            phone,
            address: text(&d.address, 200),
            point,
            last_checked_on,
            note: text(&d.note, 500),
        })
    }

    pub fn create_emergency_resource(
        &self,
        caller: &Caller,
        d: &ResourceDraft,
    ) -> Result<ResourceView> {
        self.require_resource_keeper(caller)?;
        let input = self.validate_resource(caller, d)?;
        let r = self
            .store
            .create_emergency_resource(&caller.change(&caller.scope, self), &input)
            .map_err(store_words)?;
        self.resource_view(r)
    }

    fn resource_view(&self, r: Resource) -> Result<ResourceView> {
        let days = self.resource_check_days()?;
        Ok(view_of(r, &days, self.clock.today()))
    }

    pub fn emergency_resources(
        &self,
        caller: &Caller,
        kind: Option<&str>,
        region: Option<&str>,
    ) -> Result<Vec<ResourceView>> {
        caller.require(Permission::ViewCountyWork)?;
        let kind = match kind.map(str::trim).filter(|k| !k.is_empty()) {
            None => None,
            Some(k) => Some(
                ResourceKind::from_words(k)
                    .ok_or_else(|| ValidationErrors::single("kind", "类别无法识别"))?,
            ),
        };
        let list = self.store.emergency_resources(
            &caller.scope,
            &ResourceFilter {
                kind,
                region: region.map(str::to_string),
            },
        )?;
        let days = self.resource_check_days()?;
        let today = self.clock.today();
        Ok(list.into_iter().map(|r| view_of(r, &days, today)).collect())
    }

    pub fn emergency_resource(
        &self,
        caller: &Caller,
        id: i64,
    ) -> Result<(ResourceView, Vec<ResourceCheck>)> {
        caller.require(Permission::ViewCountyWork)?;
        let r = self.store.get_emergency_resource(&caller.scope, id)?;
        let checks = self.store.emergency_resource_checks(&caller.scope, id)?;
        Ok((self.resource_view(r)?, checks))
    }

    /// Records a periodic check (点验、维护保养).
    pub fn check_emergency_resource(
        &self,
        caller: &Caller,
        id: i64,
        d: &CheckDraft,
    ) -> Result<ResourceView> {
        self.require_resource_keeper(caller)?;
        let mut e = ValidationErrors::new();
        let day = e.check("checked_on", parse_date(&d.checked_on));
        if day.is_some_and(|x| x > self.clock.today()) {
            e.add("checked_on", "检查日期不能晚于今天");
        }
        let ok = match d.ok.trim() {
            "" | "正常" | "ok" => Some(true),
            "有问题" | "problem" => Some(false),
            other => anjian_domain::validation::yes_no(other),
        };
        if ok.is_none() {
            e.add("ok", "检查结果应为“正常”或“有问题”");
        }
        let note: String = d.note.trim().chars().take(500).collect();
        if ok == Some(false) && note.is_empty() {
            e.add("note", "检查发现问题时请写明问题和处理");
        }
        e.into_result()?;
        let (Some(day), Some(ok)) = (day, ok) else {
            return Err(AppError::BadRequest("检查信息不完整".into()));
        };
        let r = self.store.check_emergency_resource(
            &caller.change(&caller.scope, self),
            id,
            day,
            ok,
            &note,
        )?;
        self.resource_view(r)
    }

    /// The resources in the caller's scope whose check falls due within `within_days`, the
    /// longest overdue first (for keepers only).
    pub fn resource_check_todos(
        &self,
        caller: &Caller,
        within_days: i64,
    ) -> Result<Vec<ResourceCheckTodo>> {
        if !(caller.scope.writable && caller.can(Permission::ManageEmergencyResources)) {
            return Ok(Vec::new());
        }
        let today = self.clock.today();
        let horizon = today + chrono::Duration::days(within_days.clamp(0, 366));
        let mut out: Vec<ResourceCheckTodo> = self
            .emergency_resources(caller, None, None)?
            .into_iter()
            .filter(|v| v.next_check <= horizon)
            .map(|v| ResourceCheckTodo {
                resource_id: v.record.id,
                title: format!(
                    "{} {}（{}）",
                    v.kind_label, v.record.name, v.record.region_name
                ),
                due: v.next_check,
                overdue: v.next_check < today,
            })
            .collect();
        out.sort_by_key(|t| (t.due, t.resource_id));
        Ok(out)
    }

    /// 应急资源台账 as Excel, in the import's columns followed by the next check.
    pub fn emergency_resource_ledger(&self, caller: &Caller) -> Result<Vec<u8>> {
        let list = self.emergency_resources(caller, None, None)?;
        let mut headers: Vec<&str> = RESOURCE_COLUMNS.iter().map(|c| c.label).collect();
        headers.push("下次检查日期");
        let widths = [
            10.0, 24.0, 14.0, 16.0, 8.0, 16.0, 8.0, 6.0, 10.0, 18.0, 10.0, 14.0, 24.0, 12.0, 12.0,
            12.0, 12.0,
        ];
        let opt = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
        let rows: Vec<Vec<String>> = list
            .into_iter()
            .map(|v| {
                let r = v.record;
                vec![
                    v.kind_label,
                    r.name,
                    r.region_name,
                    r.department_name,
                    opt(r.members),
                    r.speciality,
                    opt(r.quantity),
                    r.unit,
                    opt(r.capacity),
                    r.depot_name,
                    r.contact,
                    r.phone,
                    r.address,
                    r.lng_micro.map(rules::degrees_text).unwrap_or_default(),
                    r.lat_micro.map(rules::degrees_text).unwrap_or_default(),
                    r.last_checked_on.map(|d| d.to_string()).unwrap_or_default(),
                    v.next_check.to_string(),
                ]
            })
            .collect();
        crate::export::render(
            crate::export::ExportFormat::Xlsx,
            "应急资源台账",
            &headers,
            &widths,
            &rows,
        )
    }

    /// Imports resources, each row checked like the form (the township, department and depot
    /// by name); with any bad row nothing is written unless `skip_invalid`, and the rows are
    /// written in one transaction.
    pub fn import_emergency_resources(
        &self,
        caller: &Caller,
        t: &Table,
        mut opts: ImportOptions,
    ) -> Result<ImportReport> {
        self.require_resource_keeper(caller)?;
        // The ledger's 下次检查日期 is computed: read as nothing.
        opts.ignore_columns = true;
        let map = map_columns(t, &RESOURCE_COLUMNS, opts.ignore_columns)?;
        let limits = self.import_limits()?;
        let county = crate::leaders::county_of(caller).unwrap_or_default();
        let towns = self.townships(caller)?;
        let departments = self.list_departments(caller)?;
        let depots: Vec<(i64, String)> = self
            .emergency_resources(caller, Some("depot"), None)?
            .into_iter()
            .map(|v| (v.record.id, v.record.name))
            .collect();
        let mut ok = Vec::new();
        let mut bad = RowErrors::new(limits.max_errors);
        for (rownum, cells) in map.rows(t) {
            let cell = |k: &str| map.get(cells, k);
            let mut e = ValidationErrors::new();
            let region = match cell("region").trim() {
                "" => String::new(),
                r => match towns.iter().find(|(c, n)| n == r || c == r) {
                    Some((c, _)) => c.clone(),
                    None if !county.is_empty()
                        && (r == county || r.ends_with("县") || r.ends_with("市")) =>
                    {
                        county.clone()
                    }
                    None => {
                        e.add("region", format!("“{r}”不是您管辖范围内的乡镇（街道）"));
                        String::new()
                    }
                },
            };
            let department = match cell("department").trim() {
                "" => String::new(),
                d => match departments
                    .iter()
                    .find(|x| x.name == d || x.short_name == d)
                {
                    Some(x) => x.id.to_string(),
                    None => {
                        e.add("department", format!("“{d}”不是本县的部门"));
                        String::new()
                    }
                },
            };
            let depot = match cell("depot").trim() {
                "" => String::new(),
                d => match depots.iter().find(|(_, n)| n == d) {
                    Some((id, _)) => id.to_string(),
                    None => {
                        e.add("depot", format!("“{d}”不是已登记的物资储备库"));
                        String::new()
                    }
                },
            };
            let draft = ResourceDraft {
                kind: cell("kind"),
                name: cell("name"),
                region_code: region,
                department_id: department,
                members: cell("members"),
                speciality: cell("speciality"),
                quantity: cell("quantity"),
                unit: cell("unit"),
                capacity: cell("capacity"),
                depot_id: depot,
                contact: cell("contact"),
                phone: cell("phone"),
                address: cell("address"),
                lng: cell("lng"),
                lat: cell("lat"),
                last_checked_on: cell("last_checked_on"),
                note: String::new(),
            };
            match self.validate_resource(caller, &draft) {
                Ok(input) if e.is_empty() => ok.push(input),
                result => {
                    if let Err(v) = result {
                        for (f, msgs) in v.fields {
                            let at = match f.as_str() {
                                "region_code" => "region",
                                "department_id" => "department",
                                "depot_id" => "depot",
                                other => other,
                            };
                            for m in msgs {
                                e.add(at, m);
                            }
                        }
                    }
                    bad.push(*rownum, || {
                        e.fields
                            .iter()
                            .flat_map(|(f, m)| {
                                let label = map.label(f).to_string();
                                m.iter().map(move |m| format!("{label}：{m}"))
                            })
                            .collect()
                    });
                }
            }
        }
        ImportReport::finish(map.total(t), ok, bad, &map, opts.skip_invalid, |ok| {
            self.store
                .create_emergency_resources(&caller.change(&caller.scope, self), &ok)
                .map_err(store_words)
        })
    }
}

fn view_of(r: Resource, days: &BTreeMap<ResourceKind, i64>, today: NaiveDate) -> ResourceView {
    let cycle = days
        .get(&r.kind)
        .copied()
        .unwrap_or_else(|| r.kind.default_check_days());
    let next_check = rules::next_check(r.last_checked_on, cycle, today);
    ResourceView {
        kind_label: r.kind.label().to_string(),
        check_due: next_check <= today,
        next_check,
        record: r,
    }
}

/// The store's refusals of a named field, in the form's words.
fn store_words(err: StoreError) -> AppError {
    crate::error::refused_field(
        err,
        &[
            ("depot_id", "", "存放储备库不存在或不是储备库"),
            ("department_id", "", "所属部门不存在"),
            ("region_code", "", "所属乡镇（街道）不存在"),
        ],
    )
}
