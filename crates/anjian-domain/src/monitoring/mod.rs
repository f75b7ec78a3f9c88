//! Online monitoring (在线监测): monitored objects (a tailings pond, a tank farm, a gas user)
//! with their points, each point's four-level thresholds with hysteresis, the escalation of a
//! tailings pond's items and of the pond itself (GB 50863-2013 5.5.4), and the rules of the
//! alarms raised from them: when acknowledgement is overdue, how an alarm is disposed of.
//!
//! Everything here is pure: the ingestion, the store and the MQTT subscriber call it.

mod escalation;
mod payload;
mod threshold;

pub use escalation::{Escalation, EscalationCounts, item_level, pond_level};
pub use payload::{MAX_BATCH, MAX_PAYLOAD, PayloadError, RawReading, parse_payload};
pub use threshold::{Direction, Thresholds, level_of};

use crate::ValidationErrors;
use serde::{Deserialize, Serialize};

coded! {
    /// What is monitored.
    #[schema(as = MonitoredObjectKind)]
    ObjectKind {
        TailingsPond = "tailings_pond", "尾矿库";
        TankFarm = "tank_farm", "危险化学品储罐区" | "储罐区" | "危化品储罐区";
        GasUser = "gas_user", "燃气用户" | "燃气";
        Other = "other", "其他监测对象" | "其他";
    }
}

coded! {
    /// What a point measures (a tailings pond's items are GB 50863-2013 5.5.2's).
    #[schema(as = MonitoringPointKind)]
    PointKind {
        WaterLevel = "water_level", "库水位" | "水位";
        BeachLength = "beach_length", "干滩长度";
        SaturationLine = "saturation_line", "浸润线埋深" | "浸润线";
        SurfaceDisplacement = "surface_displacement", "表面位移" | "坝体表面位移";
        InternalDisplacement = "internal_displacement", "内部位移" | "坝体内部位移";
        Rainfall = "rainfall", "降雨量" | "降水量";
        GasConcentration = "gas_concentration", "可燃气体浓度" | "气体浓度";
        ToxicGas = "toxic_gas", "有毒气体浓度";
        Temperature = "temperature", "温度";
        Pressure = "pressure", "压力";
        LiquidLevel = "liquid_level", "储罐液位" | "液位";
        Other = "other", "其他";
    }
}

impl PointKind {
    /// The unit shown when the point's own is left blank.
    pub fn default_unit(self) -> &'static str {
        match self {
            PointKind::WaterLevel | PointKind::BeachLength | PointKind::SaturationLine => "m",
            PointKind::LiquidLevel => "m",
            PointKind::SurfaceDisplacement | PointKind::InternalDisplacement => "mm",
            PointKind::Rainfall => "mm/h",
            PointKind::GasConcentration => "%LEL",
            PointKind::ToxicGas => "ppm",
            PointKind::Temperature => "℃",
            PointKind::Pressure => "MPa",
            PointKind::Other => "",
        }
    }

    /// How many days of readings are kept when the point does not say: a dam's slow
    /// quantities for three years (a pond's design review looks back that far), fast process
    /// values for one.
    pub fn default_retention_days(self) -> i64 {
        match self {
            PointKind::WaterLevel
            | PointKind::BeachLength
            | PointKind::SaturationLine
            | PointKind::SurfaceDisplacement
            | PointKind::InternalDisplacement
            | PointKind::Rainfall => 1095,
            _ => 365,
        }
    }
}

coded! {
    /// An alarm's level, low to high (GB 50863-2013 5.5.4).
    #[schema(as = AlarmLevel)]
    Level {
        Blue = "blue", "蓝色" | "蓝色预警" | "蓝";
        Yellow = "yellow", "黄色" | "黄色预警" | "黄";
        Orange = "orange", "橙色" | "橙色预警" | "橙";
        Red = "red", "红色" | "红色预警" | "红";
    }
}

impl Level {
    /// 0 for blue up to 3 for red.
    pub fn rank(self) -> usize {
        match self {
            Level::Blue => 0,
            Level::Yellow => 1,
            Level::Orange => 2,
            Level::Red => 3,
        }
    }

    pub fn from_rank(r: usize) -> Option<Level> {
        Level::ALL.get(r).copied()
    }

    /// The level above, red staying red.
    pub fn up(self) -> Level {
        Level::from_rank(self.rank() + 1).unwrap_or(Level::Red)
    }
}

coded! {
    /// What an alarm is about.
    AlarmTarget {
        /// One point past a threshold.
        Point = "point", "测点报警";
        /// A tailings pond's item raised by the count of its points (5.5.4).
        Item = "item", "监测项目升级预警";
        /// A tailings pond raised by the count of its items.
        Object = "object", "尾矿库综合预警";
        /// A point that has sent nothing for the object's offline minutes.
        Offline = "offline", "设备离线";
    }
}

coded! {
    /// How an alarm was disposed of.
    Disposal {
        /// A false alarm, with its reason (sensor fault, calibration, interference).
        FalseAlarm = "false_alarm", "误报" | "误报排除";
        /// Handled on the spot, with the measures taken.
        OnSite = "on_site", "现场处置" | "已现场处置";
        /// Turned into a hazard, which then runs its own loop.
        Hazard = "hazard", "转为隐患" | "转隐患";
    }
}

/// Minutes allowed to acknowledge an alarm, per level (county configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = AlarmAckMinutes)]
pub struct AckMinutes {
    pub blue: i64,
    pub yellow: i64,
    pub orange: i64,
    pub red: i64,
}

impl Default for AckMinutes {
    /// Red within 15 minutes, orange 30, yellow 60, blue within the working day (240).
    fn default() -> Self {
        AckMinutes {
            blue: 240,
            yellow: 60,
            orange: 30,
            red: 15,
        }
    }
}

impl AckMinutes {
    pub fn of(&self, level: Level) -> i64 {
        match level {
            Level::Blue => self.blue,
            Level::Yellow => self.yellow,
            Level::Orange => self.orange,
            Level::Red => self.red,
        }
    }

    /// Each between 1 minute and 7 days, and a higher level never allowed longer than a lower.
    pub fn check(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::new();
        for (f, v) in [
            ("blue", self.blue),
            ("yellow", self.yellow),
            ("orange", self.orange),
            ("red", self.red),
        ] {
            if !(1..=10_080).contains(&v) {
                e.add(f, "确认时限应在1至10080分钟之间");
            }
        }
        if e.is_empty()
            && !(self.red <= self.orange && self.orange <= self.yellow && self.yellow <= self.blue)
        {
            e.add("red", "级别越高确认时限应越短：红色≤橙色≤黄色≤蓝色");
        }
        e.into_result()
    }
}

/// Whether a disposal's note is enough: a false alarm needs its reason, an on-the-spot
/// disposal its measures (a hazard carries its own description).
pub fn check_disposal(d: Disposal, note: &str) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::new();
    let n = note.trim().chars().count();
    match d {
        Disposal::FalseAlarm if n < 4 => e.add("note", "误报应写明原因（不少于4个字）"),
        Disposal::OnSite if n < 4 => e.add("note", "现场处置应写明采取的措施（不少于4个字）"),
        _ => {}
    }
    if n > 2000 {
        e.add("note", "处置说明不能超过2000个字");
    }
    e.into_result()
}

/// A device id as gateways send it: 1–64 characters of letters, digits and `-_.:/`.
pub fn is_device_id(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:/".contains(&b))
}

#[cfg(test)]
mod tests;
