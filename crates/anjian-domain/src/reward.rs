//! 举报奖励: the reward for a verified report (《安全生产领域举报奖励办法》, 安监总财〔2018〕19号).
//!
//! The national rule: for major hazards and illegal production, 15 % of the administrative
//! fine, at least 3,000 and at most 300,000 元; for concealed or falsely reported accidents,
//! per concealed death 30,000 / 40,000 / 50,000 / 60,000 元 by accident level, at most
//! 300,000 元. Local additions (a fixed award for general hazards, a bonus for employees
//! reporting their own unit) are part of the [`RewardRule`], which a county configures.
//! Amounts are in fen (分) to stay exact.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RewardRule {
    pub version: String,
    /// Share of the fine, in basis points (1500 = 15 %).
    pub fine_share_bp: i64,
    pub min_fen: i64,
    pub max_fen: i64,
    /// Per concealed death, by accident level: 一般, 较大, 重大, 特别重大.
    pub per_death_fen: [i64; 4],
    pub concealed_max_fen: i64,
    /// Fixed award for a verified general hazard (0: none).
    pub general_hazard_fen: i64,
    /// Bonus for an employee reporting their own unit, in basis points (0: none).
    pub employee_bonus_bp: i64,
    /// The national cap (300,000 元) applies after the local bonuses (the national measures'
    /// reading); a county whose rule lets a bonus exceed it sets this to false.
    #[serde(default = "yes")]
    pub cap_after_bonus: bool,
    /// An anonymous reporter who left a way to be reached (a phone) may be rewarded (a local
    /// rule; the national measures reward real-name reporters).
    #[serde(default)]
    pub anonymous_with_contact: bool,
}

fn yes() -> bool {
    true
}

impl Default for RewardRule {
    fn default() -> Self {
        Self {
            version: "安监总财〔2018〕19号".into(),
            fine_share_bp: 1500,
            min_fen: 300_000,
            max_fen: 30_000_000,
            per_death_fen: [3_000_000, 4_000_000, 5_000_000, 6_000_000],
            concealed_max_fen: 30_000_000,
            general_hazard_fen: 0,
            employee_bonus_bp: 0,
            cap_after_bonus: true,
            anonymous_with_contact: false,
        }
    }
}

/// What was verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// Major hazard or illegal production, with the fine imposed (fen).
    Fine(i64),
    /// Concealed or falsely reported accident: level 0..=3 and concealed deaths.
    Concealed { level: usize, deaths: i64 },
    /// A general hazard.
    GeneralHazard,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RewardError {
    #[error("匿名举报无法兑现奖励")]
    Anonymous,
    #[error("尚未作出罚款决定，无法按罚款计算奖励")]
    NoFine,
    #[error("瞒报死亡人数须大于0")]
    NoDeaths,
    #[error("事故等级不正确")]
    Level,
    #[error("本地规则未设一般隐患举报奖励")]
    NoGeneralAward,
}

/// The reward in fen, with the formula as text for the record.
pub fn compute(
    rule: &RewardRule,
    basis: Basis,
    anonymous: bool,
    employee: bool,
) -> Result<(i64, String), RewardError> {
    if anonymous {
        return Err(RewardError::Anonymous);
    }
    // The cap of the national measures for this basis (none for a local fixed award).
    let cap = match basis {
        Basis::Fine(_) => Some(rule.max_fen),
        Basis::Concealed { .. } => Some(rule.concealed_max_fen),
        Basis::GeneralHazard => None,
    };
    let (base, text) = match basis {
        Basis::Fine(fine) => {
            if fine <= 0 {
                return Err(RewardError::NoFine);
            }
            let share = fine * rule.fine_share_bp / 10_000;
            let v = share.clamp(rule.min_fen, rule.max_fen);
            (
                v,
                format!(
                    "罚款{}元×{}%={}元，下限{}元、上限{}元",
                    yuan(fine),
                    rule.fine_share_bp as f64 / 100.0,
                    yuan(share),
                    yuan(rule.min_fen),
                    yuan(rule.max_fen)
                ),
            )
        }
        Basis::Concealed { level, deaths } => {
            let per = *rule.per_death_fen.get(level).ok_or(RewardError::Level)?;
            if deaths <= 0 {
                return Err(RewardError::NoDeaths);
            }
            let v = (per * deaths).min(rule.concealed_max_fen);
            (
                v,
                format!(
                    "瞒报死亡{deaths}人×{}元，上限{}元",
                    yuan(per),
                    yuan(rule.concealed_max_fen)
                ),
            )
        }
        Basis::GeneralHazard => {
            if rule.general_hazard_fen <= 0 {
                return Err(RewardError::NoGeneralAward);
            }
            (
                rule.general_hazard_fen,
                format!("一般隐患定额{}元", yuan(rule.general_hazard_fen)),
            )
        }
    };
    if employee && rule.employee_bonus_bp > 0 {
        let raised = base + base * rule.employee_bonus_bp / 10_000;
        let capped = match cap {
            Some(c) if rule.cap_after_bonus && raised > c => c,
            _ => raised,
        };
        return Ok((
            capped,
            format!(
                "{text}；本单位从业人员举报上浮{}%{}",
                rule.employee_bonus_bp as f64 / 100.0,
                if capped < raised {
                    format!("，上浮后不超过{}元", yuan(capped))
                } else {
                    String::new()
                }
            ),
        ));
    }
    Ok((base, text))
}

fn yuan(fen: i64) -> String {
    if fen % 100 == 0 {
        format!("{}", fen / 100)
    } else {
        format!("{}.{:02}", fen / 100, fen % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_amounts() {
        let r = RewardRule::default();
        let f = |fine_yuan: i64| {
            compute(&r, Basis::Fine(fine_yuan * 100), false, false).map(|x| x.0 / 100)
        };
        assert_eq!(f(10_000), Ok(3_000), "15 % is 1,500: the minimum applies");
        assert_eq!(f(20_000), Ok(3_000));
        assert_eq!(f(100_000), Ok(15_000));
        assert_eq!(f(2_000_000), Ok(300_000));
        assert_eq!(f(5_000_000), Ok(300_000), "capped");
        assert_eq!(
            compute(&r, Basis::Fine(0), false, false),
            Err(RewardError::NoFine)
        );
        let c = |level, deaths| {
            compute(&r, Basis::Concealed { level, deaths }, false, false).map(|x| x.0 / 100)
        };
        assert_eq!(c(0, 1), Ok(30_000));
        assert_eq!(c(1, 2), Ok(80_000));
        assert_eq!(c(3, 4), Ok(240_000));
        assert_eq!(c(3, 6), Ok(300_000), "capped");
        assert_eq!(c(4, 1), Err(RewardError::Level));
        assert_eq!(c(0, 0), Err(RewardError::NoDeaths));
        assert_eq!(
            compute(&r, Basis::Fine(100), true, false),
            Err(RewardError::Anonymous)
        );
        assert_eq!(
            compute(&r, Basis::GeneralHazard, false, false),
            Err(RewardError::NoGeneralAward)
        );
        let text = compute(&r, Basis::Fine(10_000_000), false, false)
            .map(|x| x.1)
            .unwrap_or_default();
        assert_eq!(text, "罚款100000元×15%=15000元，下限3000元、上限300000元");
    }

    #[test]
    fn anjian_zongcai_2018_19_national_cap_applies_after_local_bonus() {
        let r = RewardRule {
            employee_bonus_bp: 2000,
            ..RewardRule::default()
        };
        // 15 % of 2,000,000 元 is capped at 300,000; +20 % would be 360,000: still 300,000.
        assert_eq!(
            compute(&r, Basis::Fine(200_000_000), false, true).map(|x| x.0),
            Ok(30_000_000)
        );
        let loose = RewardRule {
            cap_after_bonus: false,
            ..r.clone()
        };
        assert_eq!(
            compute(&loose, Basis::Fine(200_000_000), false, true).map(|x| x.0),
            Ok(36_000_000)
        );
        // Settings saved before the field existed read as the national rule.
        let old: RewardRule = serde_json::from_str(
            r#"{"version":"x","fine_share_bp":1500,"min_fen":300000,"max_fen":30000000,
                "per_death_fen":[1,2,3,4],"concealed_max_fen":30000000,"general_hazard_fen":0,"employee_bonus_bp":0}"#,
        )
        .unwrap_or_default();
        assert!(old.cap_after_bonus && !old.anonymous_with_contact);
    }

    #[test]
    fn local_additions() {
        let r = RewardRule {
            general_hazard_fen: 30_000,
            employee_bonus_bp: 2000,
            ..RewardRule::default()
        };
        assert_eq!(
            compute(&r, Basis::GeneralHazard, false, false).map(|x| x.0),
            Ok(30_000)
        );
        assert_eq!(
            compute(&r, Basis::Fine(10_000_000), false, true).map(|x| x.0),
            Ok(1_800_000)
        );
    }
}
