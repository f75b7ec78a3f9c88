//! Monitored objects and their points, as typed and as shown.

use super::level_label;
use crate::{App, AppError, Caller, Result};
use anjian_domain::ValidationErrors;
use anjian_domain::monitoring::{Direction, ObjectKind, PointKind, Thresholds, is_device_id};
use anjian_domain::scope::Permission;
use anjian_store::monitoring::{
    Alarm, AlarmFilter, MonitoredObject, NewObject, NewPoint, ObjectFilter, Point, PointReading,
};
use serde::{Deserialize, Serialize};

/// An object as typed (a form or the API).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = MonitoredObjectInput)]
pub struct ObjectInput {
    /// tailings_pond, tank_farm, gas_user, other (or their words).
    pub kind: String,
    pub name: String,
    /// The township's (or village's) code; the enterprise's when empty.
    #[serde(default)]
    pub region_code: String,
    #[serde(default)]
    pub enterprise_id: Option<i64>,
    /// Minutes a point may be silent before 设备离线 (30 when empty).
    #[serde(default)]
    pub offline_minutes: Option<i64>,
    /// 经度/纬度 in decimal degrees, both or neither.
    #[serde(default)]
    pub lng: String,
    #[serde(default)]
    pub lat: String,
    #[serde(default)]
    pub note: String,
    #[serde(default = "yes")]
    pub active: bool,
    /// The version read, when changing.
    #[serde(default)]
    pub version: Option<i64>,
}

fn yes() -> bool {
    true
}

/// A point as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = MonitoringPointInput)]
pub struct PointInput {
    /// water_level, beach_length, saturation_line … (or their words).
    pub kind: String,
    pub name: String,
    /// The kind's unit when empty.
    #[serde(default)]
    pub unit: String,
    /// The id its gateway sends.
    pub device_id: String,
    /// above (超上限) or below (低于下限).
    pub direction: String,
    #[serde(default)]
    pub blue: Option<f64>,
    #[serde(default)]
    pub yellow: Option<f64>,
    #[serde(default)]
    pub orange: Option<f64>,
    #[serde(default)]
    pub red: Option<f64>,
    #[serde(default)]
    pub hysteresis: Option<f64>,
    /// Days of readings kept (the kind's default when empty).
    #[serde(default)]
    pub retention_days: Option<i64>,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default)]
    pub version: Option<i64>,
}

/// A point as shown.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PointView {
    pub point: Point,
    pub kind_label: String,
    pub direction_label: String,
    /// 正常, 蓝色预警 …
    pub level_label: String,
}

/// An object with its points, their items' and its own level (tailings ponds), and its
/// latest alarms.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ObjectDetail {
    pub object: MonitoredObject,
    pub kind_label: String,
    pub points: Vec<PointView>,
    /// For a tailings pond: each item's level by GB 50863-2013 5.5.4 (item label, level label).
    pub items: Vec<(String, String)>,
    /// The pond's (or object's highest point's) level.
    pub level_label: String,
    pub alarms: Vec<Alarm>,
    pub can_configure: bool,
}

impl App {
    fn require_monitoring_view(&self, caller: &Caller) -> Result<()> {
        if caller.can(Permission::ViewMonitoring) {
            Ok(())
        } else {
            Err(caller.refuse("查看在线监测"))
        }
    }

    /// The objects the caller sees.
    pub fn monitored_objects(
        &self,
        caller: &Caller,
        kind: Option<&str>,
    ) -> Result<Vec<MonitoredObject>> {
        self.require_monitoring_view(caller)?;
        let kind = match kind.map(str::trim).filter(|k| !k.is_empty()) {
            None => None,
            Some(k) => Some(ObjectKind::from_words(k).ok_or_else(|| {
                ValidationErrors::single("kind", "监测对象类型应为尾矿库、储罐区、燃气用户或其他")
            })?),
        };
        Ok(self.store.monitored_objects(
            &caller.scope,
            &ObjectFilter {
                kind,
                ..Default::default()
            },
        )?)
    }

    /// One object with its points and latest alarms.
    pub fn monitored_object(&self, caller: &Caller, id: i64) -> Result<ObjectDetail> {
        self.require_monitoring_view(caller)?;
        let (object, points) = self.store.monitored_object(&caller.scope, id)?;
        let alarms = self.store.monitoring_alarms(
            &caller.scope,
            &AlarmFilter {
                object_id: Some(id),
                limit: 50,
                ..Default::default()
            },
        )?;
        let rules = self.monitoring_settings()?;
        let mut items = Vec::new();
        let mut item_levels = Vec::new();
        for k in PointKind::ALL {
            let levels: Vec<_> = points
                .iter()
                .filter(|p| p.kind == *k)
                .map(|p| p.level)
                .collect();
            if levels.is_empty() {
                continue;
            }
            let l = anjian_domain::monitoring::item_level(&levels, &rules.escalation);
            item_levels.push(l);
            items.push((k.label().to_string(), level_label(l).to_string()));
        }
        let level = if object.kind == ObjectKind::TailingsPond {
            anjian_domain::monitoring::pond_level(&item_levels, &rules.escalation)
        } else {
            points.iter().filter_map(|p| p.level).max()
        };
        let can_configure = caller.can(Permission::ConfigureMonitoring)
            && caller.scope.writable
            && object
                .enterprise_id
                .is_none_or(|_| caller.user.enterprise_id.is_none())
            && caller.scope.admits_region(&object.region_code);
        Ok(ObjectDetail {
            kind_label: object.kind.label().to_string(),
            points: points.into_iter().map(point_view).collect(),
            items: if object.kind == ObjectKind::TailingsPond {
                items
            } else {
                Vec::new()
            },
            level_label: level_label(level).to_string(),
            object,
            alarms,
            can_configure,
        })
    }

    fn object_fields(&self, caller: &Caller, input: &ObjectInput) -> Result<NewObject> {
        let mut e = ValidationErrors::new();
        let kind = ObjectKind::from_words(&input.kind);
        if kind.is_none() {
            e.add(
                "kind",
                "请选择监测对象类型（尾矿库、储罐区、燃气用户或其他）",
            );
        }
        let name = input.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            e.add("name", "请填写监测对象名称（不超过100个字）");
        }
        let mut region = input.region_code.trim().to_string();
        if let Some(eid) = input.enterprise_id {
            match self.get_enterprise(caller, eid) {
                Ok(ent) if region.is_empty() => region = ent.region_code,
                Ok(ent) if ent.region_code != region => {
                    e.add("region_code", "所在乡镇应与所属企业的所在地一致");
                }
                Ok(_) => {}
                Err(AppError::NotFound) => {
                    e.add("enterprise_id", "所属企业不存在或不在您的管辖范围内")
                }
                Err(x) => return Err(x),
            }
        }
        if region.is_empty() {
            e.add("region_code", "请选择所在乡镇（街道）");
        } else if anjian_domain::RegionCode::parse(&region).is_err() {
            e.add("region_code", "区划代码应为12位数字");
        }
        let offline = input.offline_minutes.unwrap_or(30);
        if !(1..=10_080).contains(&offline) {
            e.add("offline_minutes", "离线判定时间应在1至10080分钟之间");
        }
        if input.note.chars().count() > 1000 {
            e.add("note", "备注不能超过1000个字");
        }
        let point = self.check_coordinates(&mut e, &region, &input.lng, &input.lat)?;
        e.into_result()?;
        Ok(NewObject {
            region_code: region,
            enterprise_id: input.enterprise_id,
            kind: kind.unwrap_or(ObjectKind::Other),
            name: name.to_string(),
            offline_minutes: offline,
            lng_micro: point.map(|p| p.0),
            lat_micro: point.map(|p| p.1),
            note: input.note.trim().to_string(),
            active: input.active,
        })
    }

    fn monitoring_write_scope(&self, caller: &Caller) -> Result<anjian_domain::Scope> {
        caller.require(Permission::ConfigureMonitoring)?;
        Ok(caller.scope.clone())
    }

    /// Adds a monitored object at a place in the caller's writable scope.
    pub fn create_monitored_object(
        &self,
        caller: &Caller,
        input: &ObjectInput,
    ) -> Result<MonitoredObject> {
        let scope = self.monitoring_write_scope(caller)?;
        let o = self.object_fields(caller, input)?;
        self.store
            .create_monitored_object(&caller.change(&scope, self), &o)
            .map_err(|x| {
                crate::error::refused_field(
                    x,
                    &[
                        ("enterprise_id", "", "所属企业不存在或不在您的管辖范围内"),
                        ("region_code", "", "所在乡镇应与所属企业的所在地一致"),
                    ],
                )
            })
    }

    /// Changes a monitored object.
    pub fn update_monitored_object(
        &self,
        caller: &Caller,
        id: i64,
        input: &ObjectInput,
    ) -> Result<MonitoredObject> {
        let scope = self.monitoring_write_scope(caller)?;
        let version = input
            .version
            .ok_or_else(|| ValidationErrors::single("version", "缺少版本号，请刷新后重试"))?;
        let o = self.object_fields(caller, input)?;
        self.store
            .update_monitored_object(&caller.change(&scope, self), id, version, &o)
            .map_err(|x| {
                crate::error::refused_field(
                    x,
                    &[
                        ("enterprise_id", "", "所属企业不存在或不在您的管辖范围内"),
                        ("region_code", "", "所在乡镇应与所属企业的所在地一致"),
                    ],
                )
            })
    }

    fn point_fields(input: &PointInput) -> Result<NewPoint> {
        let mut e = ValidationErrors::new();
        let kind = PointKind::from_words(&input.kind);
        if kind.is_none() {
            e.add(
                "kind",
                "请选择监测项目（库水位、干滩长度、浸润线埋深、位移、降雨量、气体浓度等）",
            );
        }
        let name = input.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            e.add("name", "请填写测点名称（不超过100个字）");
        }
        let device = input.device_id.trim();
        if !is_device_id(device) {
            e.add("device_id", "设备编号应为1至64个字母、数字或-_.:/");
        }
        let direction = Direction::from_words(&input.direction);
        if direction.is_none() {
            e.add("direction", "请选择报警方向（超上限或低于下限）");
        }
        let unit = match input.unit.trim() {
            "" => kind.map(|k| k.default_unit()).unwrap_or("").to_string(),
            u if u.chars().count() <= 16 => u.to_string(),
            _ => {
                e.add("unit", "单位不超过16个字");
                String::new()
            }
        };
        let retention = input
            .retention_days
            .unwrap_or_else(|| kind.map_or(365, |k| k.default_retention_days()));
        if !(1..=3_650).contains(&retention) {
            e.add("retention_days", "数据保存天数应在1至3650天之间");
        }
        let th = Thresholds {
            direction: direction.unwrap_or(Direction::Above),
            blue: input.blue,
            yellow: input.yellow,
            orange: input.orange,
            red: input.red,
            hysteresis: input.hysteresis.unwrap_or(0.0),
        };
        if direction.is_some()
            && let Err(x) = th.check()
        {
            e.merge(x);
        }
        e.into_result()?;
        Ok(NewPoint {
            kind: kind.unwrap_or(PointKind::Other),
            name: name.to_string(),
            unit,
            device_id: device.to_string(),
            thresholds: th,
            retention_days: retention,
            active: input.active,
        })
    }

    /// Adds a point to an object.
    pub fn create_monitoring_point(
        &self,
        caller: &Caller,
        object_id: i64,
        input: &PointInput,
    ) -> Result<PointView> {
        let scope = self.monitoring_write_scope(caller)?;
        let p = Self::point_fields(input)?;
        let saved = self
            .store
            .create_monitoring_point(&caller.change(&scope, self), object_id, &p)
            .map_err(|x| {
                crate::error::refused_field(
                    x,
                    &[("duplicate", "device_id", "该设备编号已被其他测点使用")],
                )
            })?;
        Ok(point_view(saved))
    }

    /// Changes a point (its thresholds apply from the next reading).
    pub fn update_monitoring_point(
        &self,
        caller: &Caller,
        id: i64,
        input: &PointInput,
    ) -> Result<PointView> {
        let scope = self.monitoring_write_scope(caller)?;
        let version = input
            .version
            .ok_or_else(|| ValidationErrors::single("version", "缺少版本号，请刷新后重试"))?;
        let p = Self::point_fields(input)?;
        let saved = self
            .store
            .update_monitoring_point(&caller.change(&scope, self), id, version, &p)
            .map_err(|x| {
                crate::error::refused_field(
                    x,
                    &[("duplicate", "device_id", "该设备编号已被其他测点使用")],
                )
            })?;
        Ok(point_view(saved))
    }

    /// A point's readings from `from` to `to` (Unix ms), at most 20,000, oldest first.
    pub fn point_readings(
        &self,
        caller: &Caller,
        id: i64,
        from: i64,
        to: i64,
    ) -> Result<(PointView, Vec<PointReading>)> {
        self.require_monitoring_view(caller)?;
        if to <= from {
            return Err(ValidationErrors::single("to", "结束时间应晚于开始时间").into());
        }
        let (p, rows) = self
            .store
            .point_readings(&caller.scope, id, from, to, 20_000)?;
        Ok((point_view(p), rows))
    }
}

impl App {
    /// A point's chart over `days` (1 to 31) up to the end of the day `until`, or up to its
    /// latest reading (now when it has none, or when that is in the future): the view, the
    /// SVG, and the period (Unix ms).
    pub fn point_chart(
        &self,
        caller: &Caller,
        id: i64,
        days: i64,
        until: Option<chrono::NaiveDate>,
    ) -> Result<(PointView, String, i64, i64)> {
        if !(1..=31).contains(&days) {
            return Err(ValidationErrors::single("days", "时段应为1至31天").into());
        }
        self.require_monitoring_view(caller)?;
        let now = self.clock.now().timestamp_millis();
        let (p, _) = self.store.point_readings(&caller.scope, id, 0, 0, 1)?;
        let to = match until {
            // The end of that day, China time.
            Some(d) => d
                .succ_opt()
                .map(|n| anjian_domain::clock::china_day_start(n).timestamp_millis())
                .ok_or_else(|| ValidationErrors::single("until", "截至日期无法识别"))?,
            // The hour after the latest reading.
            None => {
                let end = p.last_ts.map_or(now, |t| t.min(now));
                (end / 3_600_000 + 1) * 3_600_000
            }
        };
        let from = to - days * 86_400_000;
        let (view, rows) = self.point_readings(caller, id, from, to)?;
        let svg = super::chart::svg(&view, &rows, from, to);
        Ok((view, svg, from, to))
    }
}

pub(crate) fn point_view(p: Point) -> PointView {
    PointView {
        kind_label: p.kind.label().to_string(),
        direction_label: p.direction.label().to_string(),
        level_label: level_label(p.level).to_string(),
        point: p,
    }
}
