//! 自然灾害应对台账 as Excel (one row per township and event, with the event's kind, period,
//! rounds and response level), and the import of the townships' figures (the same columns;
//! the event's own columns are read only to find it).

use super::*;
use crate::import::{Column, ImportOptions, ImportReport, RowErrors, Table, map_columns};

/// The columns of the ledger and of its import, with the other headers accepted.
pub static DISASTER_FIGURES_IMPORT: [Column; 12] = [
    Column::new("event", "灾害过程", &["灾害名称", "过程名称", "事件"]).required(),
    Column::new("kind", "灾种", &["灾害类型"]),
    Column::new("period", "起止日期", &["时间", "期间"]),
    Column::new("rounds", "响应轮次", &["轮次"]),
    Column::new("response_level", "响应等级", &["应急响应等级"]),
    Column::new("township", "乡镇（街道）", &["乡镇", "街道", "单位"]).required(),
    Column::new(
        "evacuated",
        "紧急避险转移（人）",
        &["紧急避险转移人口", "避险转移人数", "紧急避险转移"],
    )
    .required(),
    Column::new(
        "relocated",
        "紧急转移安置（人）",
        &["紧急转移安置人口", "转移安置人数", "紧急转移安置"],
    )
    .required(),
    Column::new("houses_damaged", "损坏房屋（间）", &["损坏房屋"]),
    Column::new(
        "loss_yuan",
        "直接经济损失（元）",
        &["直接经济损失", "经济损失（元）"],
    ),
    Column::new("note", "备注", &["说明"]),
    Column::new("status", "状态", &["核定状态"]),
];

impl App {
    /// 自然灾害应对台账: the townships' figures of the events of the query that the caller
    /// sees (an event without figures has one row with its own columns only).
    pub fn disaster_ledger(&self, caller: &Caller, q: &DisasterQuery) -> Result<Vec<u8>> {
        let events = self.disaster_events(caller, q)?;
        let headers: Vec<&str> = DISASTER_FIGURES_IMPORT.iter().map(|c| c.label).collect();
        let widths = [
            20.0, 16.0, 24.0, 10.0, 14.0, 14.0, 18.0, 18.0, 14.0, 18.0, 24.0, 10.0,
        ];
        let mut rows: Vec<Vec<String>> = Vec::new();
        for v in events {
            let e = &v.event;
            let rounds = self.store.disaster_rounds(&caller.scope, e.id)?;
            let figures = self.store.disaster_figures(&caller.scope, e.id)?;
            let period = format!(
                "{}至{}",
                e.start_on,
                e.end_on.map(|d| d.to_string()).unwrap_or_default()
            );
            let head = vec![
                e.name.clone(),
                v.kind_label.clone(),
                period,
                rounds.len().to_string(),
                v.response_label.clone().unwrap_or_default(),
            ];
            if figures.is_empty() {
                let mut r = head.clone();
                r.extend(std::iter::repeat_n(String::new(), 7));
                rows.push(r);
            }
            for f in figures {
                let mut r = head.clone();
                r.extend([
                    f.region_name.clone(),
                    f.evacuated.to_string(),
                    f.relocated.to_string(),
                    f.houses_damaged.map(|h| h.to_string()).unwrap_or_default(),
                    f.loss_fen.map(disaster::yuan_text).unwrap_or_default(),
                    f.note.clone(),
                    f.status.label().to_string(),
                ]);
                rows.push(r);
            }
        }
        crate::export::render(
            crate::export::ExportFormat::Xlsx,
            "自然灾害应对台账",
            &headers,
            &widths,
            &rows,
        )
    }

    /// Imports townships' figures: each row names its event (by name or number) and a
    /// township in the caller's scope (a township imports its own rows), and is checked like
    /// the form; with any bad row nothing is written unless `skip_invalid`. A row for a
    /// township that has reported replaces its figures (they are to be checked again).
    pub fn import_disaster_figures(
        &self,
        caller: &Caller,
        t: &Table,
        opts: ImportOptions,
    ) -> Result<ImportReport> {
        caller.require(Permission::ViewCountyWork)?;
        if !may_report(caller.role) {
            return Err(AppError::Forbidden(
                "各乡镇（街道）报送本乡镇的转移、安置人数".into(),
            ));
        }
        let map = map_columns(t, &DISASTER_FIGURES_IMPORT, opts.ignore_columns)?;
        let limits = self.import_limits()?;
        let events = anjian_store::paging::all_pages(|k| {
            self.store
                .list_disaster_events(&caller.scope, &DisasterFilter::default(), k)
        })?;
        let county = crate::leaders::county_of(caller)?;
        let names = self.target_names(&county)?;
        let mut ok: Vec<DisasterFigureInput> = Vec::new();
        let mut bad = RowErrors::new(limits.max_errors);
        for (rownum, cells) in map.rows(t) {
            let cell = |k: &str| map.get(cells, k);
            let mut e = ValidationErrors::new();
            let typed = cell("event");
            let typed = typed.trim();
            let by_number = typed
                .trim_start_matches('#')
                .parse::<i64>()
                .ok()
                .and_then(|id| events.iter().find(|x| x.id == id));
            let by_name: Vec<&DisasterEvent> = events.iter().filter(|x| x.name == typed).collect();
            let event = match (by_number, by_name.as_slice()) {
                (Some(x), _) => Some(x),
                (None, [x]) => Some(*x),
                (None, []) => {
                    e.add("event", format!("灾害过程“{typed}”不存在，请先登记"));
                    None
                }
                (None, _) => {
                    e.add(
                        "event",
                        format!("名为“{typed}”的灾害过程不止一个，请填写其编号"),
                    );
                    None
                }
            };
            let township = cell("township");
            let code = names
                .code(AreaKind::Township, &township)
                .filter(|c| caller.scope.admits_region(c));
            if code.is_none() {
                e.add(
                    "township",
                    format!("乡镇（街道）“{}”不存在或不在管辖范围内", township.trim()),
                );
            }
            let draft = DisasterFigureDraft {
                evacuated: cell("evacuated"),
                relocated: cell("relocated"),
                houses_damaged: Some(cell("houses_damaged")),
                loss_yuan: Some(cell("loss_yuan")),
                note: cell("note"),
            };
            let checked = Self::validate_disaster_figure(
                event.map(|x| x.id).unwrap_or(0),
                code.as_deref().unwrap_or(""),
                &draft,
            );
            match checked {
                Ok(f) if e.is_empty() => {
                    if ok
                        .iter()
                        .any(|o| o.event_id == f.event_id && o.region_code == f.region_code)
                    {
                        e.add("township", "同一灾害过程的同一乡镇在文件中出现了两次");
                    } else {
                        ok.push(f);
                        continue;
                    }
                }
                Ok(_) => {}
                Err(v) => e.merge(v),
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
        ImportReport::finish(map.total(t), ok, bad, &map, opts.skip_invalid, |ok| {
            Ok(self
                .store
                .import_disaster_figures(&caller.change(&caller.scope, self), &ok)?)
        })
    }
}
