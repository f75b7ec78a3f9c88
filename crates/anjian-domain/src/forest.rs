//! Forest-fire prevention (森林防灭火): the grid of responsibility from the county down to
//! every hill and person for a fire season (防火期), the checkpoints (防火检查站) and their
//! daily registers, the rangers' patrols, the season's duty roster, and the equipment bought or
//! donated and handed over to townships and state forest farms.
//!
//! The rules here are pure: who may stand at which level of the chain, which hills and
//! villages of a township still lack a named person (the chain's gaps), a season's bounds,
//! and how much of a piece of equipment is left to hand over.

use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

coded! {
    /// The level of the chain a responsible person stands at.
    #[schema(as = ForestLevel)]
    Level {
        County = "county", "县级" | "市级" | "县（市）级";
        Township = "township", "乡镇级" | "乡镇" | "乡级";
        Village = "village", "村级" | "村（社区）" | "村";
        Patch = "patch", "山头地块" | "山头" | "地块" | "林班";
        Checkpoint = "checkpoint", "防火检查站" | "检查站";
    }
}

coded! {
    /// What a responsible person is.
    WardenRole {
        ForestChief = "forest_chief", "林长";
        Supervisor = "supervisor", "监管员" | "包片干部" | "包保干部";
        Grid = "grid", "网格员";
        Ranger = "ranger", "护林员" | "生态护林员";
        CheckpointStaff = "checkpoint_staff", "检查站值守人员" | "值守人员" | "检查员";
    }
}

impl WardenRole {
    /// The levels a person of this role stands at: 林长 at county, township and village;
    /// 监管员 (包片干部) at township and village; 网格员 and 护林员 at village and hill;
    /// 值守人员 at a checkpoint.
    pub fn allowed_at(self, level: Level) -> bool {
        use Level::*;
        match self {
            WardenRole::ForestChief => matches!(level, County | Township | Village),
            WardenRole::Supervisor => matches!(level, Township | Village),
            WardenRole::Grid | WardenRole::Ranger => matches!(level, Village | Patch),
            WardenRole::CheckpointStaff => level == Checkpoint,
        }
    }
}

coded! {
    /// What a patrol found.
    #[schema(as = PatrolFinding)]
    Finding {
        None = "none", "未发现问题" | "无" | "正常";
        IllegalFire = "illegal_fire", "违规野外用火" | "野外用火" | "违规用火";
        Hazard = "hazard", "火灾隐患" | "隐患";
        Other = "other", "其他问题" | "其他";
    }
}

coded! {
    /// Forest-fire equipment.
    EquipmentKind {
        Drone = "drone", "防火勘察无人机" | "无人机";
        HighLiftPump = "high_lift_pump", "高扬程消防水泵" | "高扬程水泵";
        Pump = "pump", "抽水泵" | "水泵";
        Extinguisher = "extinguisher", "风力灭火机" | "灭火机";
        Other = "other", "其他装备" | "其他";
    }
}

coded! {
    /// How equipment came to the county.
    Acquisition {
        Purchased = "purchased", "购置" | "采购" | "添置";
        Donated = "donated", "受捐赠" | "捐赠";
    }
}

coded! {
    /// 国有林场 or 国有农场.
    FarmKind {
        ForestFarm = "forest_farm", "国有林场" | "林场";
        Farm = "farm", "国有农场" | "农场";
    }
}

/// A fire season's bounds: it ends after it starts and lasts at most a year.
pub fn check_season(starts_on: NaiveDate, ends_on: NaiveDate) -> Result<(), &'static str> {
    if ends_on <= starts_on {
        return Err("防火期的结束日期应晚于开始日期");
    }
    if (ends_on - starts_on).num_days() > 366 {
        return Err("防火期不能超过一年");
    }
    Ok(())
}

/// A hill of the chain as the gap check sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchRef {
    pub id: i64,
    /// The village (or, for a farm's hill, the township) it lies in.
    pub region_code: String,
}

/// A responsible person as the gap check sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WardenRef {
    pub level: Level,
    pub role: WardenRole,
    pub region_code: String,
    pub patch_id: Option<i64>,
}

/// What a township's chain still lacks for a season.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gaps {
    /// The township has no 林长.
    pub township_without_chief: bool,
    /// Villages with hills but without a 林长 or 网格员 of their own.
    pub villages_without_person: Vec<String>,
    /// Hills without a 护林员, either on the hill itself or for its whole village.
    pub patches_without_ranger: Vec<i64>,
}

impl Gaps {
    pub fn is_empty(&self) -> bool {
        !self.township_without_chief
            && self.villages_without_person.is_empty()
            && self.patches_without_ranger.is_empty()
    }
}

/// The gaps of one township's chain (`township` its 9-digit prefix or full code): every hill
/// must have a ranger (the hill's own, or one named for its whole village), every village
/// with hills a chief or grid person, and the township a chief. The responsibility reaches
/// "到乡、到村、到组、到山头、到个人".
pub fn chain_gaps(township: &str, patches: &[PatchRef], wardens: &[WardenRef]) -> Gaps {
    let prefix = township.get(..9).unwrap_or(township);
    let inside = |code: &str| code.starts_with(prefix);
    let township_without_chief = !wardens.iter().any(|w| {
        w.level == Level::Township && w.role == WardenRole::ForestChief && inside(&w.region_code)
    });
    let village_people: BTreeSet<&str> = wardens
        .iter()
        .filter(|w| {
            w.level == Level::Village
                && matches!(w.role, WardenRole::ForestChief | WardenRole::Grid)
        })
        .map(|w| w.region_code.as_str())
        .collect();
    let village_rangers: BTreeSet<&str> = wardens
        .iter()
        .filter(|w| w.level == Level::Village && w.role == WardenRole::Ranger)
        .map(|w| w.region_code.as_str())
        .collect();
    let patch_rangers: BTreeSet<i64> = wardens
        .iter()
        .filter(|w| w.level == Level::Patch && w.role == WardenRole::Ranger)
        .filter_map(|w| w.patch_id)
        .collect();
    let mut villages: BTreeMap<&str, ()> = BTreeMap::new();
    let mut patches_without_ranger = Vec::new();
    for p in patches.iter().filter(|p| inside(&p.region_code)) {
        // A hill recorded at the township (a farm's) answers to the township itself.
        if p.region_code.len() == 12 && !p.region_code.ends_with("000") {
            villages.insert(p.region_code.as_str(), ());
        }
        if !patch_rangers.contains(&p.id) && !village_rangers.contains(p.region_code.as_str()) {
            patches_without_ranger.push(p.id);
        }
    }
    Gaps {
        township_without_chief,
        villages_without_person: villages
            .keys()
            .filter(|v| !village_people.contains(**v))
            .map(|v| v.to_string())
            .collect(),
        patches_without_ranger,
    }
}

/// What is left of `quantity` after the handovers, or why one more of `more` does not fit.
pub fn remaining(quantity: i64, handed: &[i64], more: i64) -> Result<i64, String> {
    if more <= 0 {
        return Err("发放数量应为正整数".into());
    }
    let given: i64 = handed.iter().sum();
    let left = quantity - given;
    if more > left {
        return Err(format!(
            "发放数量超过库存：共{quantity}，已发放{given}，尚余{}",
            left.max(0)
        ));
    }
    Ok(left - more)
}

/// A patrol's times on its day (`HH:MM`): it ends after it starts.
pub fn check_patrol_times(from: &str, to: &str) -> Result<(), &'static str> {
    let t = |s: &str| chrono::NaiveTime::parse_from_str(s.trim(), "%H:%M").ok();
    match (t(from), t(to)) {
        (Some(a), Some(b)) if b > a => Ok(()),
        (Some(_), Some(_)) => Err("巡护结束时间应晚于开始时间"),
        _ => Err("时间格式应为 HH:MM"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn roles_stand_at_their_levels() {
        assert!(WardenRole::ForestChief.allowed_at(Level::County));
        assert!(!WardenRole::ForestChief.allowed_at(Level::Patch));
        assert!(WardenRole::Ranger.allowed_at(Level::Patch));
        assert!(!WardenRole::Ranger.allowed_at(Level::County));
        assert!(WardenRole::CheckpointStaff.allowed_at(Level::Checkpoint));
        assert!(!WardenRole::Grid.allowed_at(Level::Checkpoint));
        assert_eq!(Level::from_words("村"), Some(Level::Village));
        assert_eq!(
            WardenRole::from_words("生态护林员"),
            Some(WardenRole::Ranger)
        );
    }

    #[test]
    fn a_season_ends_after_it_starts_and_within_a_year() {
        // 江西 2022 防火期: 2022-09-12 to 2023-04-30.
        assert!(check_season(d("2022-09-12"), d("2023-04-30")).is_ok());
        assert!(check_season(d("2022-09-12"), d("2022-09-12")).is_err());
        assert!(check_season(d("2022-01-01"), d("2023-03-01")).is_err());
    }

    #[test]
    fn the_chain_reaches_every_hill_and_person() {
        let t = "360982101000";
        let (v1, v2, v3) = ("360982101201", "360982101202", "360982101203");
        let patches = vec![
            PatchRef {
                id: 1,
                region_code: v1.into(),
            },
            PatchRef {
                id: 2,
                region_code: v1.into(),
            },
            PatchRef {
                id: 3,
                region_code: v2.into(),
            },
            PatchRef {
                id: 4,
                region_code: v3.into(),
            },
            // Another township's hill is not this township's gap.
            PatchRef {
                id: 9,
                region_code: "360982102201".into(),
            },
        ];
        let w = |level, role, region: &str, patch| WardenRef {
            level,
            role,
            region_code: region.into(),
            patch_id: patch,
        };
        let wardens = vec![
            // v1: a grid person and a ranger for the whole village.
            w(Level::Village, WardenRole::Grid, v1, None),
            w(Level::Village, WardenRole::Ranger, v1, None),
            // v2: a chief, and a ranger on hill 3.
            w(Level::Village, WardenRole::ForestChief, v2, None),
            w(Level::Patch, WardenRole::Ranger, v2, Some(3)),
            // v3: only a 监管员 (not enough) and no ranger.
            w(Level::Village, WardenRole::Supervisor, v3, None),
        ];
        let g = chain_gaps(t, &patches, &wardens);
        assert!(g.township_without_chief);
        assert_eq!(g.villages_without_person, vec![v3.to_string()]);
        assert_eq!(g.patches_without_ranger, vec![4]);
        let mut all = wardens.clone();
        all.push(w(Level::Township, WardenRole::ForestChief, t, None));
        all.push(w(Level::Village, WardenRole::Grid, v3, None));
        all.push(w(Level::Patch, WardenRole::Ranger, v3, Some(4)));
        assert!(chain_gaps(t, &patches, &all).is_empty());
    }

    #[test]
    fn handovers_never_exceed_the_stock() {
        assert_eq!(remaining(12, &[4, 4], 4), Ok(0));
        assert!(remaining(12, &[4, 4], 5).is_err());
        assert!(remaining(12, &[], 0).is_err());
        assert_eq!(remaining(120, &[], 10), Ok(110));
    }

    #[test]
    fn a_patrol_ends_after_it_starts() {
        assert!(check_patrol_times("08:00", "11:30").is_ok());
        assert!(check_patrol_times("11:30", "08:00").is_err());
        assert!(check_patrol_times("8点", "11:30").is_err());
    }
}
