//! The demo county's responsibility chain: eight leaders with 包片 of every township and 包线
//! of the key sectors (one township handed over in September), the member units' duty lists
//! (三定方案, the 任务分工 of 2022, and the 安委会 decision on the newly assigned industries),
//! and the year's 约谈 and 问责 at the scale of the source report (three townships held
//! accountable for forest-fire failures, six persons interviewed). Written through the use
//! cases, as the 安委办 would; names drawn from the demo's own seeded stream.

use super::{Rng, Town, words};
use crate::accountability::{AccountabilityDraft, RefDraft};
use crate::duties::DutyDraft;
use crate::leaders::{AssignmentDraft, LeaderDraft};
use crate::{App, Result};
use anjian_domain::Scope;
use anjian_domain::accountability::Person;

const BASIS: &str = "《清江市安全生产包片包线责任制》（清办发〔2022〕3号）";
const HANDOVER: &str = "《关于调整市领导包片联系乡镇（街道）的通知》（清府办字〔2022〕45号）";

/// (name, post, townships by index of `words::TOWNSHIPS`, sectors).
const LEADERS: [(&str, &str, &[usize], &[&str]); 8] = [
    (
        "李明",
        "市委常委、常务副市长",
        &[0, 1],
        &["mines", "hazchem", "fireworks", "industry_trade"],
    ),
    (
        "周建华",
        "副市长",
        &[2, 3, 4],
        &["construction", "gas", "self_built"],
    ),
    (
        "吴志刚",
        "副市长、市公安局局长",
        &[5, 6, 7],
        &["road", "water", "fire"],
    ),
    (
        "陈晓燕",
        "副市长",
        &[8, 9],
        &["campus", "health", "culture_tourism"],
    ),
    (
        "郑伟",
        "副市长",
        &[10, 11, 12],
        &["agriculture", "forest_fire"],
    ),
    ("孙立新", "市委常委、组织部部长", &[13, 14], &[]),
    ("黄国庆", "市委常委、宣传部部长", &[15, 16], &[]),
    (
        "刘海涛",
        "市人大常委会副主任",
        &[17, 18, 19],
        &["special_equipment", "commerce"],
    ),
];

/// The 2022 handover: 金田镇 (index 14) from 孙立新 to 黄国庆 on 1 September.
const HANDED_OVER: (usize, usize, &str) = (14, 6, "2022-09-01");

/// The three townships held accountable for forest fire (mountain townships), by index.
const FOREST_TOWNS: [(usize, &str, &str); 3] = [
    (
        17,
        "2022-08-16",
        "8月以来辖区连续发生3起野外违规用火引发的火警，网格巡护和火源管控责任落实不到位",
    ),
    (
        18,
        "2022-09-20",
        "“9·14”森林火情处置中扑火队伍集结迟缓，防火卡点值守缺位",
    ),
    (
        12,
        "2022-11-08",
        "秋冬季森林防火检查中发现防火隔离带未按期清理、宣传不到位，火情隐患整改不力",
    ),
];

pub(super) fn generate(app: &App, seed: u64, towns: &[Town]) -> Result<usize> {
    // A stream of its own, so that the rest of the demo's records stay as they were.
    let mut rng = Rng::new(seed ^ 0x5A_A7_1E_AD);
    let admin = app.system_caller("demo")?;
    let mut written = 0;

    // Leaders, the leader account linked to 李明.
    let leader_user = app
        .store
        .list_users(&Scope::system())?
        .into_iter()
        .find(|u| u.username == "leader")
        .map(|u| u.id);
    let mut ids = Vec::new();
    for (i, (name, post, _, _)) in LEADERS.iter().enumerate() {
        let l = app.create_leader(
            &admin,
            &LeaderDraft {
                name: name.to_string(),
                post: post.to_string(),
                phone: Some(words::mobile(&mut |k| rng.below(k))),
                user_id: if i == 0 { leader_user } else { None },
                sort_order: Some(i as i64 + 1),
                active: Some(true),
            },
        )?;
        ids.push(l.id);
        written += 1;
    }
    let assign = |leader: i64, kind: &str, target: &str, basis: &str, from: &str| {
        app.assign_leader(
            &admin,
            &AssignmentDraft {
                leader_id: leader,
                kind: kind.into(),
                target: target.into(),
                basis: basis.into(),
                valid_from: from.into(),
                valid_to: None,
            },
        )
    };
    for (k, (_, _, townships, sectors)) in LEADERS.iter().enumerate() {
        for t in *townships {
            if let Some(town) = towns.get(*t) {
                assign(ids[k], "township", &town.0, BASIS, "2022-01-10")?;
                written += 1;
            }
        }
        for s in *sectors {
            assign(ids[k], "sector", s, BASIS, "2022-01-10")?;
            written += 1;
        }
    }
    let (town, to, day) = HANDED_OVER;
    if let Some(t) = towns.get(town) {
        assign(ids[to], "township", &t.0, HANDOVER, day)?;
        written += 1;
    }

    written += duties(app, &admin)?;
    written += accountability(app, &admin, &mut rng, towns)?;
    Ok(written)
}

/// The supervising departments' duty lists (beside the items holding their sectors, written
/// with the departments).
fn duties(app: &App, admin: &crate::Caller) -> Result<usize> {
    let mut n = 0;
    let deps = app
        .store
        .list_departments(&Scope::system(), app.clock.today())?;
    for (i, d) in deps.iter().enumerate() {
        let item =
            |content: String, kind: &str, title: &str, no: String, decided: &str| DutyDraft {
                department_id: d.id,
                content,
                doc_kind: kind.into(),
                doc_title: title.into(),
                doc_no: no,
                decided_on: Some(decided.into()),
                sector_code: None,
                valid_from: decided.into(),
                valid_to: None,
            };
        if d.has_supervision_duty {
            let (title, no) = super::sanding_doc(i, &d.name);
            app.create_duty(
                admin,
                &item(
                    format!(
                        "负责{}职责范围内的安全生产监督管理，依法查处安全生产违法行为",
                        d.short_name
                    ),
                    "sanding",
                    &title,
                    no,
                    super::SANDING_DAY,
                ),
            )?;
            n += 1;
        }
        if d.is_member_unit {
            app.create_duty(
                admin,
                &item(
                    "按照“管行业必须管安全、管业务必须管安全、管生产经营必须管安全”要求，落实本系统安全生产工作任务".into(),
                    "division",
                    "《清江市安全生产委员会成员单位安全生产工作任务分工》",
                    "清安委〔2022〕1号".into(),
                    "2022-02-18",
                ),
            )?;
            n += 1;
        }
    }
    Ok(n)
}

/// The year's 约谈 and 问责.
fn accountability(
    app: &App,
    admin: &crate::Caller,
    rng: &mut Rng,
    towns: &[Town],
) -> Result<usize> {
    let mut n = 0;
    let mut name = || words::person_name(&mut |k| rng.below(k));
    let head = |t: &Town| {
        if t.1.ends_with('乡') {
            "乡长"
        } else if t.1.ends_with("街道") {
            "街道办事处主任"
        } else {
            "镇长"
        }
    };
    let deputy = |t: &Town| {
        if t.1.ends_with('乡') {
            "分管副乡长"
        } else if t.1.ends_with("街道") {
            "分管副主任"
        } else {
            "分管副镇长"
        }
    };
    let draft = |kind: &str,
                 theme: &str,
                 target_kind: &str,
                 target: String,
                 persons: Vec<Person>,
                 measure: &str,
                 by: &str,
                 day: &str,
                 reason: &str,
                 refs: Vec<RefDraft>| AccountabilityDraft {
        kind: kind.into(),
        theme: theme.into(),
        target_kind: target_kind.into(),
        target,
        region_code: None,
        persons,
        measure: measure.into(),
        decided_by: by.into(),
        decided_on: day.into(),
        reason: reason.into(),
        refs,
        doc_no: String::new(),
    };
    // Forest fire: each township held accountable, and its 行政负责人 and 分管负责人 warned.
    for (k, (t, day, reason)) in FOREST_TOWNS.iter().enumerate() {
        let Some(town) = towns.get(*t) else { continue };
        let unit = format!("{}人民政府", town.1.trim_end_matches("街道"));
        let persons = vec![
            Person {
                name: name(),
                post: head(town).into(),
                unit: unit.clone(),
            },
            Person {
                name: name(),
                post: deputy(town).into(),
                unit,
            },
        ];
        let refs = vec![RefDraft {
            kind: "考核".into(),
            reference: "2022年度消防和森林防灭火工作半年考评".into(),
        }];
        app.create_accountability(
            admin,
            &draft(
                "interview",
                "forest_fire",
                "township",
                town.0.clone(),
                persons,
                "",
                "市森林防灭火指挥部",
                day,
                reason,
                refs.clone(),
            ),
        )?;
        let mut d = draft(
            "accountability",
            "forest_fire",
            "township",
            town.0.clone(),
            Vec::new(),
            "全市通报批评，取消年度森林防灭火工作评先评优资格",
            "市安委会",
            day,
            reason,
            refs,
        );
        d.doc_no = format!("清安委〔2022〕{}号", 21 + k);
        app.create_accountability(admin, &d)?;
        n += 2;
    }
    // Hazards: a department criticised for overdue major hazards, an enterprise's managers
    // warned.
    let deps = app
        .store
        .list_departments(&Scope::system(), app.clock.today())?;
    if let Some(d) = deps.iter().find(|d| d.short_name == "住建局") {
        let mut refs = vec![RefDraft {
            kind: "考核".into(),
            reference: "2022年上半年安全生产工作考核".into(),
        }];
        if app.store.get_hazard(&Scope::system(), 1).is_ok() {
            refs.push(RefDraft {
                kind: "隐患".into(),
                reference: "1".into(),
            });
        }
        app.create_accountability(
            admin,
            &draft(
                "criticism",
                "hazards",
                "department",
                d.name.clone(),
                Vec::new(),
                "",
                "市安委会",
                "2022-07-12",
                "督办的城镇燃气重大隐患逾期未整改销号",
                refs,
            ),
        )?;
        n += 1;
    }
    if let Some(town) = towns.get(4) {
        let persons = vec![
            Person {
                name: name(),
                post: "总经理".into(),
                unit: format!("清江市{}宏达化工有限公司", town.1),
            },
            Person {
                name: name(),
                post: "安全总监".into(),
                unit: format!("清江市{}宏达化工有限公司", town.1),
            },
        ];
        let mut d = draft(
            "interview",
            "hazards",
            "township",
            town.0.clone(),
            persons,
            "",
            "市应急管理局",
            "2022-06-23",
            "辖区化工企业重大隐患整改迟缓，约谈企业主要负责人和安全总监",
            Vec::new(),
        );
        d.refs.push(RefDraft {
            kind: "其他".into(),
            reference: "安全生产大检查“百日攻坚”专项行动督查通报".into(),
        });
        app.create_accountability(admin, &d)?;
        n += 1;
    }
    // An accident: the person in charge held accountable.
    if let Some(town) = towns.get(9) {
        let persons = vec![Person {
            name: name(),
            post: "安监站站长".into(),
            unit: format!("{}人民政府", town.1),
        }];
        let mut d = draft(
            "accountability",
            "accident",
            "person",
            String::new(),
            persons,
            "政务警告",
            "市纪委监委",
            "2022-10-19",
            "辖区一般生产安全事故中日常监管不到位",
            vec![RefDraft {
                kind: "事故".into(),
                reference: "“5·27”一般建筑施工高处坠落事故".into(),
            }],
        );
        d.region_code = Some(town.0.clone());
        app.create_accountability(admin, &d)?;
        n += 1;
    }
    Ok(n)
}
