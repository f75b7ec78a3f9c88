//! The forest-fire grid as a spreadsheet (森林防灭火网格责任表): one row per hill with its
//! township, village, area, species, owning farm, the village's 网格员 and the hill's 护林员
//! with phones; exported from a season's chain and imported into one (validated first, each
//! bad row reported, all or nothing). Also the patrol ledger and the equipment handover
//! ledger.

use super::*;
use crate::import::{Column, ImportOptions, ImportReport, RowErrors, Table, map_columns};
use anjian_store::forest::GridRow;
use std::collections::HashMap;

/// The columns of the grid sheet and of its import, with the other headers accepted.
pub static GRID_COLUMNS: [Column; 10] = [
    Column::new("township", "乡镇（街道）", &["乡镇", "街道"]).required(),
    Column::new("village", "村（社区）", &["村", "社区", "行政村"]),
    Column::new(
        "patch",
        "山头（地块）名称",
        &["山头名称", "山头", "地块", "林班"],
    )
    .required(),
    Column::new("area_mu", "面积（亩）", &["面积", "面积(亩)"]),
    Column::new("species", "主要树种", &["树种"]),
    Column::new("farm", "所属国有林场（农场）", &["所属林场", "林场"]),
    Column::new("grid_name", "网格员", &["村级网格员"]),
    Column::new("grid_phone", "网格员电话", &["网格员联系电话"]),
    Column::new("ranger_name", "护林员", &["生态护林员"]).required(),
    Column::new("ranger_phone", "护林员电话", &["护林员联系电话"]).required(),
];

impl App {
    /// 网格责任表 of a season as Excel, one row per hill in the caller's scope.
    pub fn forest_grid_ledger(&self, caller: &Caller, season_id: Option<i64>) -> Result<Vec<u8>> {
        let headers: Vec<&str> = GRID_COLUMNS.iter().map(|c| c.label).collect();
        let widths = [14.0, 14.0, 20.0, 10.0, 12.0, 18.0, 10.0, 14.0, 10.0, 14.0];
        let mut rows = Vec::new();
        if let Some(chain) = self.forest_chain(caller, season_id)? {
            for t in &chain.townships {
                let hills = t
                    .villages
                    .iter()
                    .flat_map(|v| v.patches.iter().map(move |p| (Some(v), p)))
                    .chain(t.patches.iter().map(|p| (None, p)));
                for (v, p) in hills {
                    let grid = v.and_then(|v| v.people.iter().find(|w| w.role == WardenRole::Grid));
                    let ranger = p
                        .people
                        .iter()
                        .find(|w| w.role == WardenRole::Ranger)
                        .or_else(|| {
                            v.and_then(|v| v.people.iter().find(|w| w.role == WardenRole::Ranger))
                        });
                    rows.push(vec![
                        t.name.clone(),
                        v.map(|v| v.name.clone()).unwrap_or_default(),
                        p.patch.name.clone(),
                        mu_text(p.patch.area_centi_mu),
                        p.patch.species.clone(),
                        p.patch.farm_name.clone(),
                        grid.map(|w| w.name.clone()).unwrap_or_default(),
                        grid.map(|w| w.phone.clone()).unwrap_or_default(),
                        ranger.map(|w| w.name.clone()).unwrap_or_default(),
                        ranger.map(|w| w.phone.clone()).unwrap_or_default(),
                    ]);
                }
            }
        }
        crate::export::render(
            crate::export::ExportFormat::Xlsx,
            "森林防灭火网格责任表",
            &headers,
            &widths,
            &rows,
        )
    }

    /// Imports hills with their 网格员 and 护林员 into a season, each row checked like the
    /// forms; with any bad row nothing is written unless `skip_invalid`.
    pub fn import_forest_grid(
        &self,
        caller: &Caller,
        season_id: i64,
        t: &Table,
        opts: ImportOptions,
    ) -> Result<ImportReport> {
        self.require_forest_writer(caller)?;
        let season = self
            .forest_season(caller, Some(season_id))?
            .ok_or(AppError::NotFound)?;
        let map = map_columns(t, &GRID_COLUMNS, opts.ignore_columns)?;
        let limits = self.import_limits()?;
        let regions = self
            .store
            .list_regions(&caller.scope, None, Some("village"))?;
        let towns: HashMap<&str, &str> = regions
            .iter()
            .filter(|r| r.level == "township")
            .flat_map(|r| {
                [
                    (r.name.as_str(), r.code.as_str()),
                    (r.code.as_str(), r.code.as_str()),
                ]
            })
            .collect();
        let villages: HashMap<(&str, &str), &str> = regions
            .iter()
            .filter(|r| r.level == "village")
            .filter_map(|r| {
                let parent = r.parent_code.as_deref()?;
                Some(((parent, r.name.as_str()), r.code.as_str()))
            })
            .collect();
        let farms: HashMap<String, i64> = self
            .forest_farms(caller)?
            .into_iter()
            .map(|f| (f.name, f.id))
            .collect();
        let mut ok = Vec::new();
        let mut bad = RowErrors::new(limits.max_errors);
        let mut seen: HashMap<(String, String), usize> = HashMap::new();
        for (rownum, cells) in map.rows(t) {
            let cell = |k: &str| map.get(cells, k);
            let mut e = ValidationErrors::new();
            let town = towns.get(cell("township").trim()).copied();
            if town.is_none() {
                e.add(
                    "township",
                    format!("“{}”不是您管辖范围内的乡镇", cell("township")),
                );
            }
            let village_name = cell("village");
            let region = match (town, village_name.trim()) {
                (Some(t), "") => Some(t.to_string()),
                (Some(t), v) => match villages.get(&(t, v)) {
                    Some(code) => Some(code.to_string()),
                    None => {
                        e.add("village", format!("“{v}”不是该乡镇的村（社区）"));
                        None
                    }
                },
                (None, _) => None,
            };
            let farm = cell("farm");
            let farm_id = match farm.trim() {
                "" => None,
                f => match farms.get(f) {
                    Some(id) => Some(*id),
                    None => {
                        e.add("farm", format!("“{f}”不是已登记的国有林场（农场）"));
                        None
                    }
                },
            };
            if region.as_deref().is_some_and(|r| town == Some(r)) && farm_id.is_none() {
                e.add(
                    "village",
                    "山头应填写所在村（社区），国有林场的山头可只填乡镇",
                );
            }
            let patch = self.validate_patch(&PatchDraft {
                region_code: region.clone().unwrap_or_default(),
                name: cell("patch"),
                area_mu: cell("area_mu"),
                species: cell("species"),
                farm_id: farm_id.map(|f| f.to_string()).unwrap_or_default(),
                note: String::new(),
            });
            let patch = match patch {
                Ok(p) => Some(p),
                Err(pe) => {
                    for (f, msgs) in pe.fields {
                        for m in msgs {
                            // A place already refused is not refused twice.
                            if f != "region_code" {
                                let at = match f.as_str() {
                                    "name" => "patch",
                                    "farm_id" => "farm",
                                    other => other,
                                };
                                e.add(at, m);
                            }
                        }
                    }
                    None
                }
            };
            if let Some(p) = &patch {
                let key = (p.region_code.clone(), p.name.clone());
                if let Some(first) = seen.insert(key, *rownum) {
                    e.add("patch", format!("与第{first}行是同一山头"));
                }
            }
            let person = |role: &str,
                          level: &str,
                          name: &str,
                          phone: &str,
                          field: &str,
                          e: &mut ValidationErrors| {
                let d = WardenDraft {
                    season_id: season.id.to_string(),
                    level: level.into(),
                    region_code: region.clone().unwrap_or_default(),
                    patch_id: String::new(),
                    checkpoint_id: String::new(),
                    role: role.into(),
                    name: name.into(),
                    post: String::new(),
                    phone: phone.into(),
                };
                match self.validate_warden(&d, true) {
                    Ok(w) => Some(w),
                    Err(we) => {
                        for (f, msgs) in we.fields {
                            if f == "region_code" {
                                continue;
                            }
                            let at = if f == "phone" {
                                format!("{field}_phone")
                            } else {
                                format!("{field}_name")
                            };
                            for m in msgs {
                                e.add(&at, m);
                            }
                        }
                        None
                    }
                }
            };
            let mut wardens = Vec::new();
            let grid_name = cell("grid_name");
            if !grid_name.trim().is_empty() || !cell("grid_phone").trim().is_empty() {
                if region.as_deref().is_some_and(|r| town == Some(r)) {
                    e.add("grid_name", "网格员属于村（社区），请填写所在村");
                } else if let Some(w) = person(
                    "grid",
                    "village",
                    &grid_name,
                    &cell("grid_phone"),
                    "grid",
                    &mut e,
                ) {
                    wardens.push(w);
                }
            }
            if let Some(w) = person(
                "ranger",
                "patch",
                &cell("ranger_name"),
                &cell("ranger_phone"),
                "ranger",
                &mut e,
            ) {
                wardens.push(w);
            }
            match (e.into_result(), patch) {
                (Ok(()), Some(patch)) => ok.push(GridRow { patch, wardens }),
                (Err(errors), _) => bad.push(*rownum, || {
                    errors
                        .fields
                        .iter()
                        .flat_map(|(f, m)| {
                            let label = map.label(f).to_string();
                            m.iter().map(move |m| format!("{label}：{m}"))
                        })
                        .collect()
                }),
                (Ok(()), None) => {}
            }
        }
        ImportReport::finish(map.total(t), ok, bad, &map, opts.skip_invalid, |ok| {
            self.store
                .import_forest_grid(&caller.change(&caller.scope, self), &ok)
                .map_err(|err| {
                    field_error(
                        err,
                        &[
                            ("duplicate", "patch", "山头（地块）已登记过，请勿重复导入"),
                            ("region_code", "village", "所在地不存在"),
                        ],
                    )
                })
        })
    }

    /// 巡护台账 of a period as Excel.
    pub fn forest_patrol_ledger(
        &self,
        caller: &Caller,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<Vec<u8>> {
        let list = self.forest_patrols(caller, from, to, None)?;
        let headers = [
            "巡护日期",
            "开始时间",
            "结束时间",
            "乡镇（村）",
            "山头（地块）",
            "巡护人员",
            "巡护路线",
            "发现情况",
            "情况及处置",
        ];
        let widths = [12.0, 10.0, 10.0, 18.0, 18.0, 12.0, 24.0, 14.0, 40.0];
        let rows: Vec<Vec<String>> = list
            .into_iter()
            .map(|p| {
                vec![
                    p.patrolled_on.to_string(),
                    p.from_time,
                    p.to_time,
                    p.region_name,
                    p.patch_name,
                    p.patroller,
                    p.route,
                    p.finding.label().to_string(),
                    p.details,
                ]
            })
            .collect();
        crate::export::render(
            crate::export::ExportFormat::Xlsx,
            "森林防火巡护台账",
            &headers,
            &widths,
            &rows,
        )
    }

    /// 装备发放台账 as Excel: each handover with its equipment.
    pub fn forest_handover_ledger(&self, caller: &Caller) -> Result<Vec<u8>> {
        let list = self.forest_handovers(caller)?;
        let headers = [
            "发放日期",
            "装备",
            "型号",
            "数量",
            "领取单位",
            "领取人",
            "备注",
        ];
        let widths = [12.0, 18.0, 18.0, 8.0, 22.0, 10.0, 30.0];
        let rows: Vec<Vec<String>> = list
            .into_iter()
            .map(|h| {
                vec![
                    h.handed_on.to_string(),
                    h.kind.label().to_string(),
                    h.model,
                    h.quantity.to_string(),
                    h.recipient,
                    h.received_by,
                    h.note,
                ]
            })
            .collect();
        crate::export::render(
            crate::export::ExportFormat::Xlsx,
            "森林防灭火装备发放台账",
            &headers,
            &widths,
            &rows,
        )
    }
}
