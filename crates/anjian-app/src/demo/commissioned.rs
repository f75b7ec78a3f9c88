//! 委托执法 in the demo county: the traffic police (交警), the farm-machinery office (农机) and
//! the transport office (运管) each commission every township for their simple-procedure
//! items (ten or more each, as in the source report), and the townships fine on the spot
//! under them (over a thousand traffic violations a year); three of those cases, where the
//! driver turned out to be drunk, went to the police as suspected crimes.

use super::Rng;
use super::cases::{case_record, transfer};
use super::enforcement::{Ent, in_campaign, workday};
use crate::Result;
use anjian_store::Change;
use anjian_store::commissions::Commission;

/// An item: code, name, the largest fine in 元 (simple procedure).
type Item = (&'static str, &'static str, f64);

/// The agencies: full name, short name, items, cases per township (at least, and up to this
/// many more).
const AGENCIES: [(&str, &str, &[Item], usize, usize); 3] = [
    (
        "清江市公安局交通管理大队（交警）",
        "交警",
        &[
            ("JT-01", "农村道路违规载人", 200.0),
            ("JT-02", "驾驶未悬挂号牌的机动车", 200.0),
            ("JT-03", "驾乘摩托车未戴安全头盔", 50.0),
            ("JT-04", "货运机动车违规载客", 200.0),
            ("JT-05", "机动车违反规定停放", 200.0),
            ("JT-06", "驾驶时未随车携带行驶证、驾驶证", 50.0),
            ("JT-07", "驾驶未按规定检验的机动车", 200.0),
            ("JT-08", "驾驶机动车时拨打接听手持电话", 200.0),
            ("JT-09", "驾驶摩托车超员载人", 200.0),
            ("JT-10", "非机动车违反交通信号通行", 50.0),
            ("JT-11", "行人、非机动车违反道路通行规定", 50.0),
            ("JT-12", "驾驶机动车未按规定使用安全带", 50.0),
        ],
        42,
        12,
    ),
    (
        "清江市农业农村局（农机）",
        "农机",
        &[
            ("NJ-01", "拖拉机违规载人", 200.0),
            ("NJ-02", "驾驶未按规定检验的拖拉机、联合收割机", 200.0),
            ("NJ-03", "拖拉机、联合收割机未按规定悬挂号牌", 200.0),
            ("NJ-04", "驾驶拖拉机未携带驾驶证", 50.0),
            ("NJ-05", "操作与驾驶证准驾机型不符的农业机械", 200.0),
            ("NJ-06", "拖拉机违规拖带挂车", 200.0),
            ("NJ-07", "联合收割机转移作业违规载人", 200.0),
            ("NJ-08", "拖拉机超载运输", 200.0),
            ("NJ-09", "农业机械安全防护装置缺失作业", 200.0),
            ("NJ-10", "驾驶拖拉机未按规定使用灯光", 50.0),
        ],
        5,
        5,
    ),
    (
        "清江市交通运输局（运管）",
        "运管",
        &[
            ("YG-01", "非法营运载客", 2000.0),
            ("YG-02", "客运车辆未随车携带道路运输证", 200.0),
            ("YG-03", "货运车辆未随车携带道路运输证", 200.0),
            ("YG-04", "从业人员未取得从业资格证上岗", 200.0),
            ("YG-05", "客运车辆站外上客、沿途揽客", 200.0),
            ("YG-06", "出租汽车拒载、议价", 200.0),
            ("YG-07", "客运班车不按批准的线路行驶", 200.0),
            ("YG-08", "驾驶员未随车携带从业资格证", 50.0),
            ("YG-09", "营运车辆未按规定进行二级维护", 200.0),
            ("YG-10", "道路运输车辆超越许可事项经营", 200.0),
        ],
        5,
        5,
    ),
];

/// Which townships' first 交警 case was transferred (a drunk driver): 1st, 8th and 15th.
const TRANSFERRED_TOWNS: [usize; 3] = [0, 7, 14];

/// Writes the agreements and the cases opened under them; answers how many records.
pub(super) fn generate(
    app: &crate::App,
    rng: &mut Rng,
    change: &Change<'_>,
    ents: &[Ent],
) -> Result<usize> {
    let (start, end) = (
        super::enforcement::day("2022-01-04")?,
        super::enforcement::day("2022-12-23")?,
    );
    let towns: Vec<String> = {
        let mut t: Vec<String> = ents
            .iter()
            .map(|e| format!("{}000", &e.region[..9]))
            .collect();
        t.sort();
        t.dedup();
        t
    };
    let mut written = 0usize;
    for (ti, town) in towns.iter().enumerate() {
        for (agency, short, items, least, more) in &AGENCIES {
            let json: Vec<serde_json::Value> = items
                .iter()
                .map(|(c, n, m)| serde_json::json!({"code": c, "name": n, "legal_basis": "", "max_fine_yuan": m}))
                .collect();
            let c = app.store.create_commission(
                change,
                &Commission {
                    region_code: town.clone(),
                    agency: agency.to_string(),
                    agreement_no: format!("清{short}委〔2022〕{}号", ti + 1),
                    items: serde_json::Value::Array(json).to_string(),
                    valid_from: chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap_or_default(),
                    valid_to: chrono::NaiveDate::from_ymd_opt(2022, 12, 31).unwrap_or_default(),
                    ..Commission::default()
                },
            )?;
            written += 1;
            for k in 0..(least + rng.below(*more)) {
                let on = workday(rng, start, end);
                let (code, name, max) = items[rng.below(items.len())];
                // A person is fined at most 200 元 on the spot (行政处罚法 art. 51).
                let cap = (max.min(200.0) * 100.0) as i64;
                let fine = (5_000 * (1 + rng.below(4) as i64)).min(cap);
                let drunk = *short == "交警" && k == 0 && TRANSFERRED_TOWNS.contains(&ti);
                let person = super::words::person_name(&mut |k| rng.below(k));
                let facts = if drunk {
                    format!("{name}，且驾驶人涉嫌醉酒驾驶机动车")
                } else {
                    name.to_string()
                };
                let case = case_record(
                    town,
                    None,
                    None,
                    "road",
                    false,
                    ("person", &person),
                    (&facts, "《道路交通安全法》"),
                    fine,
                    "fine",
                    "executed",
                    on,
                    Some(on),
                    in_campaign(on),
                    None,
                )?;
                let saved = app.store.create_case_with(
                    change,
                    &case,
                    "demo",
                    Some((c.id, code, agency)),
                )?;
                written += 1;
                if drunk {
                    transfer(
                        app,
                        change,
                        (saved.id, town, "road", None, &person),
                        on,
                        "危险驾驶罪（醉酒驾驶）",
                        "委托执法查处交通违法行为时发现驾驶人涉嫌醉酒驾驶机动车",
                    )?;
                    written += 1;
                }
            }
        }
    }
    Ok(written)
}
