//! The demo county's natural disasters of 2022: the cold wave of late January (one round of
//! Ⅳ级 response) and the June heavy rain (a Ⅳ级 round raised to Ⅲ级: two rounds), so that
//! the report reads "成功应对冰雪、强降雨自然灾害3轮". The townships' figures add up to the
//! year's 2,640 people evacuated in advance and 1,318 relocated, split over the townships
//! by the demo's own seeded stream; each is reported for its township and checked by the
//! 安委办, through the use cases.

use super::{Rng, Town};
use crate::disasters::{DisasterEventDraft, DisasterFigureDraft, DisasterRoundDraft};
use crate::{App, Result};

/// The year's people evacuated in advance and relocated, as the demo states them.
pub const EVACUATED_2022: i64 = 2640;
pub const RELOCATED_2022: i64 = 1318;

struct Plan {
    kind: &'static str,
    name: &'static str,
    start: &'static str,
    end: &'static str,
    warning: &'static str,
    level: &'static str,
    summary: &'static str,
    /// (start, end, level, account)
    rounds: &'static [(&'static str, &'static str, &'static str, &'static str)],
    /// How many townships report, and their totals (evacuated, relocated).
    towns: usize,
    evacuated: i64,
    relocated: i64,
    /// Houses damaged and losses are recorded.
    damage: bool,
}

const PLANS: [Plan; 2] = [
    Plan {
        kind: "cold_wave",
        name: "2022年1月下旬低温雨雪冰冻过程",
        start: "2022-01-26",
        end: "2022-02-08",
        warning: "yellow",
        level: "iv",
        summary: "受强冷空气影响，全市出现持续低温雨雪冰冻天气，部分山区道路结冰、电力线路覆冰。市防指启动Ⅳ级应急响应，组织转移危房和高寒山区群众，保障道路通行和群众生活。",
        rounds: &[(
            "2022-01-27 10:00",
            "2022-02-01 18:00",
            "iv",
            "启动低温雨雪冰冻Ⅳ级应急响应，撒盐除冰、排查危房，转移高寒山区独居老人和危房住户。",
        )],
        towns: 8,
        evacuated: 386,
        relocated: 152,
        damage: false,
    },
    Plan {
        kind: "heavy_rain",
        name: "2022年6月强降雨过程",
        start: "2022-06-17",
        end: "2022-06-27",
        warning: "orange",
        level: "iii",
        summary: "受持续强降雨影响，全市多地出现山洪、内涝和山体滑坡，赣江支流水位超警。市防指先后启动防汛Ⅳ级、Ⅲ级应急响应，提前转移危险区域群众，未发生人员伤亡，未垮一库一坝。",
        rounds: &[
            (
                "2022-06-18 20:00",
                "2022-06-21 12:00",
                "iv",
                "启动防汛Ⅳ级应急响应，山洪地质灾害隐患点、病险水库和低洼地带人员提前避险转移。",
            ),
            (
                "2022-06-21 12:00",
                "2022-06-24 18:00",
                "iii",
                "雨情加剧，响应提升至Ⅲ级，巡查库坝堤防，集中安置转移群众，抢修水毁道路。",
            ),
        ],
        towns: 16,
        evacuated: EVACUATED_2022 - 386,
        relocated: RELOCATED_2022 - 152,
        damage: true,
    },
];

/// Splits `total` into `n` shares that add up exactly, each at least 1 (n ≤ total).
fn split(rng: &mut Rng, n: usize, total: i64) -> Vec<i64> {
    let weights: Vec<i64> = (0..n).map(|_| 4 + rng.below(12) as i64).collect();
    let sum: i64 = weights.iter().sum::<i64>().max(1);
    let mut out: Vec<i64> = weights.iter().map(|w| (total * w / sum).max(1)).collect();
    let diff = total - out.iter().sum::<i64>();
    if let Some(first) = out.first_mut() {
        *first += diff;
    }
    out
}

/// Writes the year's events, rounds and townships' figures; returns the number of records.
pub(super) fn generate(app: &App, seed: u64, towns: &[Town]) -> Result<usize> {
    let mut rng = Rng::new(seed ^ 0xD1_5A_57_E5);
    let admin = app.system_caller("demo")?;
    let mut written = 0;
    for plan in &PLANS {
        let ev = app.create_disaster_event(
            &admin,
            &DisasterEventDraft {
                kind: plan.kind.into(),
                name: plan.name.into(),
                start_on: plan.start.into(),
                end_on: Some(plan.end.into()),
                warning_level: Some(plan.warning.into()),
                response_level: Some(plan.level.into()),
                summary: plan.summary.into(),
            },
        )?;
        written += 1;
        for (start, end, level, account) in plan.rounds {
            app.add_disaster_round(
                &admin,
                ev.event.id,
                &DisasterRoundDraft {
                    started_at: start.to_string(),
                    ended_at: Some(end.to_string()),
                    response_level: level.to_string(),
                    account: account.to_string(),
                },
            )?;
            written += 1;
        }
        // The townships that report: a seeded choice, in the order of their codes.
        let n = plan.towns.min(towns.len());
        let mut picked: Vec<usize> = Vec::new();
        while picked.len() < n {
            let i = rng.below(towns.len());
            if !picked.contains(&i) {
                picked.push(i);
            }
        }
        picked.sort_unstable();
        let evacuated = split(&mut rng, n, plan.evacuated);
        let relocated = split(&mut rng, n, plan.relocated);
        for (k, i) in picked.iter().enumerate() {
            let (houses, loss) = if plan.damage && rng.chance(60) {
                let houses = 1 + rng.below(9) as i64;
                let yuan = 20_000 + rng.below(400) as i64 * 1_000 + rng.below(100) as i64;
                (Some(houses.to_string()), Some(format!("{yuan}.00")))
            } else {
                (None, None)
            };
            let f = app.report_disaster_figure(
                &admin,
                ev.event.id,
                &towns[*i].0,
                None,
                &DisasterFigureDraft {
                    evacuated: evacuated[k].to_string(),
                    relocated: relocated[k].to_string(),
                    houses_damaged: houses,
                    loss_yuan: loss,
                    note: String::new(),
                },
            )?;
            app.check_disaster_figure(&admin, ev.event.id, &towns[*i].0, f.figure.version)?;
            written += 1;
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plans_add_up_to_the_years_figures() {
        assert_eq!(PLANS.iter().map(|p| p.evacuated).sum::<i64>(), 2640);
        assert_eq!(PLANS.iter().map(|p| p.relocated).sum::<i64>(), 1318);
        assert_eq!(PLANS.iter().map(|p| p.rounds.len()).sum::<usize>(), 3);
        let mut rng = Rng::new(5);
        let s = split(&mut rng, 16, 1166);
        assert_eq!(s.iter().sum::<i64>(), 1166);
        assert!(s.iter().all(|x| *x >= 1));
    }
}
