//! An accident's page: its level and figures, the timeline (the accident, the chain's
//! reports with 迟报 marked, each 补报 — a late one marked as not counted —, the extension
//! and the closing), the linked 举报, and one form per step the caller may take (the actions
//! the use case offers: `accidents::may`).

use super::*;
use crate::extract::PageId;
use anjian_app::accidents::{
    AccidentDetail, Action, CloseDraft, ExtendDraft, FlagsDraft, LinkReportDraft, LinksDraft,
    UpdateDraft,
};
use anjian_domain::accident::{Party, hundredths_text, time_text};

/// One line of the timeline.
pub struct Event {
    pub at: String,
    pub what: String,
    pub note: String,
    pub alert: bool,
}

#[derive(Template)]
#[template(path = "accident_detail.html")]
struct DetailPage {
    chrome: Chrome,
    d: AccidentDetail,
    events: Vec<Event>,
    unit_link: String,
    county_link: String,
    enterprise: String,
    can: BTreeMap<&'static str, bool>,
    dispatch: crate::ui::dispatch::DispatchPanel,
    /// Its point as shown (with 不在任何乡镇边界内 when so); empty when not recorded.
    point: String,
    kept: Kept,
}

impl DetailPage {
    fn can(&self, step: &str) -> bool {
        self.can.get(step).copied().unwrap_or(false)
    }
}

fn events(d: &AccidentDetail, unit: &str, county: &str) -> Vec<Event> {
    let a = &d.view.record;
    let mut out = vec![Event {
        at: time_text(a.occurred_at),
        what: format!("事故发生（{}）", d.view.level_label),
        note: a.place.clone(),
        alert: false,
    }];
    if let Some(t) = a.unit_reported_at {
        out.push(Event {
            at: time_text(t),
            what: "事故单位向县级报告".into(),
            note: unit.into(),
            alert: d.view.unit_link.is_late(),
        });
    }
    if let Some(t) = a.county_reported_at {
        out.push(Event {
            at: time_text(t),
            what: "县级向上级报告".into(),
            note: county.into(),
            alert: d.view.county_link.is_late(),
        });
    }
    for u in &d.updates {
        let f = &u.figures;
        out.push(Event {
            at: format!("{}（变化日期）", u.changed_on),
            what: if u.counted {
                "补报（计入统计）".into()
            } else {
                format!("逾期补报（超过{}日，不计入统计）", d.view.window_days)
            },
            note: format!(
                "死亡{} 失踪{} 重伤{} 轻伤{} 直接经济损失{}元；原因：{}；登记人：{}",
                f.deaths,
                f.missing,
                f.serious_injuries,
                f.minor_injuries,
                hundredths_text(f.loss_fen),
                u.reason,
                u.recorded_by
            ),
            alert: !u.counted,
        });
    }
    if let Some(due) = a.extended_due {
        out.push(Event {
            at: String::new(),
            what: format!("调查期限延长至{due}"),
            note: a.extension_reason.clone(),
            alert: false,
        });
    }
    if let Some(c) = a.closed_on {
        out.push(Event {
            at: c.to_string(),
            what: "调查结案".into(),
            note: a.findings.clone(),
            alert: false,
        });
    }
    out
}

async fn page(
    state: &AppState,
    pc: &PageCaller,
    id: i64,
    kept: Kept,
) -> Result<Response, PageError> {
    let caller = pc.caller.clone();
    let (instance, d, enterprise, point) = blocking(state, move |app| {
        let d = app.accident(&caller, id)?;
        let point = app.point_text(&caller, d.view.record.lng_micro, d.view.record.lat_micro)?;
        let enterprise = match d.view.record.enterprise_id {
            Some(e) => app
                .get_enterprise(&caller, e)
                .map(|e| e.name)
                .unwrap_or_default(),
            None => String::new(),
        };
        Ok((app.instance_name()?, d, enterprise, point))
    })
    .await?;
    let unit_link = link_words(d.view.unit_link);
    let county_link = link_words(d.view.county_link);
    let dispatch = crate::ui::dispatch::DispatchPanel::load(state, pc, "accident", id).await?;
    let mut timeline = events(&d, &unit_link, &county_link);
    // Each dispatch is part of the accident's timeline.
    for x in &dispatch.list {
        timeline.push(Event {
            at: anjian_app::auth::local_time(&x.created_at),
            what: format!("一键调度：{}", x.title),
            note: format!(
                "{} 发起，已确认 {}/{} 人",
                x.created_by_name, x.confirmed, x.notified
            ),
            alert: x.confirmed < x.notified,
        });
    }
    timeline.sort_by(|a, b| a.at.cmp(&b.at));
    let can = [
        ("update", Action::Update),
        ("links", Action::Links),
        ("flags", Action::Flags),
        ("report", Action::LinkReport),
        ("extend", Action::Extend),
        ("close", Action::Close),
    ]
    .into_iter()
    .map(|(k, a)| (k, d.view.actions.contains(&a)))
    .collect();
    let p = DetailPage {
        chrome: Chrome::new(
            pc,
            instance,
            &format!("{}：{}", d.view.category_label, d.view.record.place),
            "accidents",
        ),
        events: timeline,
        dispatch,
        point,
        unit_link,
        county_link,
        enterprise,
        d,
        can,
        kept,
    };
    Ok(render_refused(&p, p.kept.is_refused()))
}

pub(super) async fn detail(
    State(state): State<AppState>,
    pc: PageCaller,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    page(&state, &pc, id, Kept::none()).await
}

async fn step(
    state: AppState,
    pc: PageCaller,
    id: i64,
    form: FormPairs,
    name: &'static str,
) -> Result<Response, PageError> {
    pc.check_csrf(&form)?;
    let version = form.get("version").trim().parse::<i64>().unwrap_or(0);
    let caller = pc.caller.clone();
    let f = FormPairs(form.0.clone());
    let r = blocking(&state, move |app| {
        let get = |k: &str| f.get(k);
        match name {
            "update" => app
                .update_accident(
                    &caller,
                    id,
                    &UpdateDraft {
                        version,
                        changed_on: get("changed_on"),
                        deaths: get("deaths"),
                        missing: get("missing"),
                        serious_injuries: get("serious_injuries"),
                        minor_injuries: get("minor_injuries"),
                        direct_loss_yuan: get("direct_loss_yuan"),
                        forest_area_ha: get("forest_area_ha"),
                        reason: get("reason"),
                    },
                )
                .map(|_| ()),
            "links" => app
                .set_accident_links(
                    &caller,
                    id,
                    &LinksDraft {
                        version,
                        unit_reported_at: get("unit_reported_at").replace('T', " "),
                        county_reported_at: get("county_reported_at").replace('T', " "),
                    },
                )
                .map(|_| ()),
            "flags" => app
                .set_accident_flags(
                    &caller,
                    id,
                    &FlagsDraft {
                        version,
                        false_report: get("false_report") == "on",
                        false_report_reason: get("false_report_reason"),
                        concealed: get("concealed") == "on",
                        concealed_reason: get("concealed_reason"),
                    },
                )
                .map(|_| ()),
            "report" => {
                let typed = get("report_id");
                let Ok(report_id) = typed.trim().trim_start_matches('#').parse::<i64>() else {
                    return Err(anjian_domain::ValidationErrors::single(
                        "report_id",
                        "请填写举报的编号（数字）",
                    )
                    .into());
                };
                app.link_accident_report(&caller, id, &LinkReportDraft { version, report_id })
                    .map(|_| ())
            }
            "extend" => app
                .extend_accident_investigation(
                    &caller,
                    id,
                    &ExtendDraft {
                        version,
                        due: get("due"),
                        reason: get("reason"),
                    },
                )
                .map(|_| ()),
            _ => {
                let parties = get("parties")
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|l| {
                        let (who, measure) = l.split_once(['：', ':']).unwrap_or((l, ""));
                        let who = who.trim();
                        let (name, unit) = match who.strip_suffix("（单位）") {
                            Some(n) => (n.to_string(), true),
                            None => (who.to_string(), false),
                        };
                        Party {
                            name,
                            unit,
                            measure: measure.trim().to_string(),
                        }
                    })
                    .collect();
                let ids = |k: &str| -> Vec<i64> {
                    get(k)
                        .split(['，', ',', '、', ' ', '；', ';'])
                        .filter_map(|x| x.trim().trim_start_matches('#').parse().ok())
                        .collect()
                };
                app.close_accident_investigation(
                    &caller,
                    id,
                    &CloseDraft {
                        version,
                        closed_on: get("closed_on"),
                        findings: get("findings"),
                        parties,
                        accountability_ids: ids("accountability_ids"),
                        case_ids: ids("case_ids"),
                    },
                )
                .map(|_| ())
            }
        }
    })
    .await;
    match r {
        Ok(()) => Ok(see_other(&format!("/accidents/{id}"))),
        Err(e) => {
            let errors = super::super::refusal(e)?;
            let kept = Kept::refused(&format!("act.{name}"), &form, errors);
            page(&state, &pc, id, kept).await
        }
    }
}

macro_rules! step_handler {
    ($($name:ident),+) => {$(
        pub(super) async fn $name(
            State(state): State<AppState>,
            pc: PageCaller,
            PageId(id): PageId,
            form: FormPairs,
        ) -> Result<Response, PageError> {
            step(state, pc, id, form, stringify!($name)).await
        }
    )+};
}

step_handler!(update, links, flags, report, extend, close);
