//! Emergency resources (应急资源): rescue teams, experts, equipment and supplies, depots and
//! shelters of the county, its townships and departments, each with its place (and, where
//! known, coordinates) and the day it was last checked. Each kind is checked on a cycle (a
//! county setting, defaulting to the cycles below); a resource whose check falls due is on
//! the keeper's to-do list.
//!
//! The rules here are pure: what each kind must state, whether coordinates are plausible,
//! and when the next check is due.

use chrono::NaiveDate;

coded! {
    /// The kind of a resource.
    ResourceKind {
        Team = "team", "救援队伍" | "应急队伍" | "队伍";
        Expert = "expert", "应急专家" | "专家";
        Supply = "supply", "装备物资" | "物资" | "装备";
        Depot = "depot", "物资储备库" | "储备库" | "仓库";
        Shelter = "shelter", "避难场所" | "应急避难场所" | "安置点";
    }
}

impl ResourceKind {
    /// The default check cycle in days: teams and supplies quarterly (装备物资定期维护保养,
    /// 队伍季度点验), depots and shelters half-yearly, experts' details yearly. A county sets
    /// its own in the setting `emergency_check_days.<kind>`.
    pub fn default_check_days(self) -> i64 {
        match self {
            ResourceKind::Team | ResourceKind::Supply => 90,
            ResourceKind::Depot | ResourceKind::Shelter => 180,
            ResourceKind::Expert => 365,
        }
    }

    /// The setting that overrides [`Self::default_check_days`].
    pub fn setting_key(self) -> String {
        format!("emergency_check_days.{}", self.as_str())
    }
}

/// What a resource states beyond its name and place, as typed and read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Details {
    /// Members of a team.
    pub members: Option<i64>,
    /// A team's speciality or an expert's field.
    pub speciality: String,
    /// Quantity of a supply.
    pub quantity: Option<i64>,
    /// Its unit (台、件、顶 …).
    pub unit: String,
    /// People a shelter takes, or a depot's area in m².
    pub capacity: Option<i64>,
    pub phone: String,
}

/// What a kind requires, as (field, message) for each thing missing.
pub fn missing(kind: ResourceKind, d: &Details) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    match kind {
        ResourceKind::Team => {
            if d.members.is_none_or(|n| n <= 0) {
                out.push(("members", "请填写队伍人数"));
            }
            if d.speciality.trim().is_empty() {
                out.push(("speciality", "请填写队伍专长（如防汛抢险、森林灭火）"));
            }
            if d.phone.trim().is_empty() {
                out.push(("phone", "请填写队伍联系电话"));
            }
        }
        ResourceKind::Expert => {
            if d.speciality.trim().is_empty() {
                out.push(("speciality", "请填写专家的专业领域"));
            }
            if d.phone.trim().is_empty() {
                out.push(("phone", "请填写专家联系电话"));
            }
        }
        ResourceKind::Supply => {
            if d.quantity.is_none_or(|n| n <= 0) {
                out.push(("quantity", "请填写物资数量"));
            }
            if d.unit.trim().is_empty() {
                out.push(("unit", "请填写计量单位（台、件、顶等）"));
            }
        }
        ResourceKind::Depot => {}
        ResourceKind::Shelter => {
            if d.capacity.is_none_or(|n| n <= 0) {
                out.push(("capacity", "请填写可容纳人数"));
            }
        }
    }
    out
}

/// Coordinates in micro-degrees (WGS-84): within China's mainland extent (73°E–136°E,
/// 3°N–54°N). The county's own extent is checked against its boundaries where they exist.
pub fn check_point(lng_micro: i64, lat_micro: i64) -> Result<(), &'static str> {
    if !(73_000_000..=136_000_000).contains(&lng_micro) {
        return Err("经度应在73°至136°之间（东经）");
    }
    if !(3_000_000..=54_000_000).contains(&lat_micro) {
        return Err("纬度应在3°至54°之间（北纬）");
    }
    Ok(())
}

/// A decimal degree as typed ("114.123456") in micro-degrees; at most six places.
pub fn parse_degrees(s: &str) -> Option<i64> {
    let t = s.trim();
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    if int.is_empty()
        || frac.len() > 6
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || int.len() > 3
    {
        return None;
    }
    let whole: i64 = int.parse().ok()?;
    let part: i64 = format!("{frac:0<6}").parse().ok()?;
    Some(whole * 1_000_000 + part)
}

/// Micro-degrees as a decimal degree with six places.
pub fn degrees_text(micro: i64) -> String {
    format!("{}.{:06}", micro / 1_000_000, (micro % 1_000_000).abs())
}

/// The day the next check is due: a cycle after the last check, or today when never checked.
pub fn next_check(last: Option<NaiveDate>, cycle_days: i64, today: NaiveDate) -> NaiveDate {
    match last {
        Some(d) => d + chrono::Duration::days(cycle_days.max(1)),
        None => today,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn each_kind_states_what_it_needs() {
        let team = Details {
            members: Some(30),
            speciality: "防汛抢险".into(),
            phone: "13807951234".into(),
            ..Default::default()
        };
        assert!(missing(ResourceKind::Team, &team).is_empty());
        let fields: Vec<&str> = missing(ResourceKind::Team, &Details::default())
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(fields, vec!["members", "speciality", "phone"]);
        assert_eq!(
            missing(
                ResourceKind::Supply,
                &Details {
                    quantity: Some(0),
                    ..Default::default()
                }
            )
            .len(),
            2
        );
        assert!(missing(ResourceKind::Depot, &Details::default()).is_empty());
        assert_eq!(ResourceKind::from_words("冲锋舟"), None);
        assert_eq!(
            ResourceKind::from_words("避难场所"),
            Some(ResourceKind::Shelter)
        );
    }

    #[test]
    fn coordinates_read_exactly_and_lie_in_china() {
        assert_eq!(parse_degrees("114.123456"), Some(114_123_456));
        assert_eq!(parse_degrees("28.5"), Some(28_500_000));
        assert_eq!(parse_degrees("28.1234567"), None);
        assert_eq!(parse_degrees("-28.5"), None);
        assert_eq!(parse_degrees("abc"), None);
        assert_eq!(degrees_text(28_500_000), "28.500000");
        assert!(check_point(114_123_456, 28_500_000).is_ok());
        assert!(check_point(28_500_000, 114_123_456).is_err());
        assert!(check_point(114_000_000, 60_000_000).is_err());
    }

    #[test]
    fn the_next_check_is_a_cycle_after_the_last() {
        assert_eq!(
            next_check(Some(d("2022-03-01")), 90, d("2022-06-01")),
            d("2022-05-30")
        );
        assert_eq!(next_check(None, 90, d("2022-06-01")), d("2022-06-01"));
        assert_eq!(ResourceKind::Team.default_check_days(), 90);
        assert_eq!(
            ResourceKind::Shelter.setting_key(),
            "emergency_check_days.shelter"
        );
    }
}
