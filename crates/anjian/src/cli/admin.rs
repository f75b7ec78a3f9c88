//! Administration: the enterprise ledger export, users, the daily job, draw and audit
//! verification.

use super::*;

/// Exports the enterprise ledger.
pub(super) fn export(what: ExportWhat) -> Result<(), Fail> {
    let ExportWhat::Enterprises {
        db,
        format,
        out,
        region,
        sector,
    } = what;
    let app = open(&db, DEFAULT_DB)?;
    let format = match format {
        Format::Xlsx => ExportFormat::Xlsx,
        Format::Csv => ExportFormat::Csv,
    };
    let region_prefix = match region {
        Some(r) => Some(
            anjian_domain::RegionCode::parse_loose(&r)
                .map_err(|e| Fail(format!("--region：{e}"), 2))?
                .subtree_prefix()
                .to_string(),
        ),
        None => None,
    };
    let f = anjian_store::enterprises::EnterpriseFilter {
        region_prefix,
        sector,
        limit: 5000,
        ..Default::default()
    };
    let (n, bytes) = app.export_enterprises_system(&f, format)?;
    let out = out.unwrap_or_else(|| PathBuf::from(format!("enterprises.{}", format.ext())));
    std::fs::write(&out, bytes).map_err(|e| Fail(format!("无法写入 {}：{e}", out.display()), 1))?;
    println!("已导出 {n} 家企业到 {}", out.display());
    Ok(())
}

/// Adds a user.
pub(super) fn user(what: UserWhat) -> Result<(), Fail> {
    let UserWhat::Add {
        db,
        username,
        password,
        role,
        display_name,
        region,
        department,
        enterprise,
        sites,
        cert_no,
        cert_valid_until,
    } = what;
    let app = open(&db, DEFAULT_DB)?;
    let id = app.add_user_cli(
        "cli",
        &NewUser {
            username: username.clone(),
            display_name: display_name.unwrap_or_default(),
            role,
            password: Some(password),
            region_code: region,
            department_id: department,
            enterprise_id: enterprise,
            phone: None,
            active: true,
            site_ids: sites,
            cert_no,
            cert_valid_until,
            version: None,
        },
    )?;
    println!("已创建用户 {username}（编号 {id}），首次登录须修改密码");
    Ok(())
}

/// Runs a job once: the daily reminders, or a round of the dispatch or monitoring job.
pub(super) fn jobs(what: JobsWhat) -> Result<(), Fail> {
    match what {
        JobsWhat::Daily(db) => {
            let app = open(&db, DEFAULT_DB)?;
            match app.run_daily_reminders(&format!("cli-{}", std::process::id()))? {
                anjian_store::notices::CycleOutcome::Ran(n) => println!("今日提醒已生成：{n} 条"),
                anjian_store::notices::CycleOutcome::AlreadyDone => {
                    println!("今日提醒此前已生成，未重复执行")
                }
            }
        }
        JobsWhat::Dispatch(db) => {
            let app = open(&db, DEFAULT_DB)?;
            let r = app.run_dispatch_jobs(&format!("cli-{}", std::process::id()))?;
            println!(
                "调度任务：升级 {} 条调度，发出 {} 条消息，{} 条待重试，{} 条发送失败",
                r.escalated, r.sent, r.retried, r.failed
            );
        }
        JobsWhat::Monitoring(db) => {
            let app = open(&db, DEFAULT_DB)?;
            let r = app.run_monitoring_jobs(true)?;
            println!(
                "在线监测任务：新增设备离线报警 {} 条，删除超过保存期限的读数 {} 条",
                r.offline_opened, r.pruned
            );
        }
    }
    Ok(())
}

/// Verifies a drawn draw by re-running it from its published inputs.
pub(super) fn draw(what: DrawWhat) -> Result<(), Fail> {
    let DrawWhat::Verify(a) = what;
    let app = open(&a.db, DEFAULT_DB)?;
    let v = app.verify_draw(&Scope::system(), a.draw_id)?;
    println!(
        "抽查批次 {}：算法 {}",
        a.draw_id,
        anjian_domain::draw::ALGORITHM
    );
    println!(
        "  承诺值核对：{}",
        if v.commitment_ok {
            "一致"
        } else {
            "不一致"
        }
    );
    println!(
        "  抽取结果核对：{}",
        if v.result_ok { "一致" } else { "不一致" }
    );
    println!(
        "  检查任务核对：{}",
        if v.tasks_ok { "一致" } else { "不一致" }
    );
    for t in &v.recomputed {
        println!(
            "  {}  对象 {}  执法人员 {:?}",
            t.stratum, t.enterprise_id, t.inspectors
        );
    }
    if v.matches() {
        println!("核验结果：一致（match）");
        Ok(())
    } else {
        for p in &v.problems {
            println!("  问题：{p}");
        }
        Err(Fail("核验结果：不一致（mismatch）".into(), 1))
    }
}

/// Verifies the audit hash chain.
pub(super) fn rollups(what: RollupsWhat) -> Result<(), Fail> {
    let table_name = |t: &str| match t {
        "hz_found" => "按发现月份",
        "hz_closed" => "按销号月份",
        "hz_cohort" => "按发现与销号月份",
        "hz_major" => "重大隐患",
        "hz_overdue" => "逾期增减",
        _ => "其他",
    };
    match what {
        RollupsWhat::Check(db) => {
            let app = open(&db, DEFAULT_DB)?;
            let checks = app.check_rollups()?;
            let mut bad = 0;
            for c in &checks {
                println!(
                    "{}（{}）：{} 行，与重算不一致 {} 行",
                    table_name(&c.table),
                    c.table,
                    c.rows,
                    c.differing
                );
                bad += c.differing;
            }
            if bad == 0 {
                println!("隐患汇总表与隐患记录一致。");
                Ok(())
            } else {
                Err(Fail(
                    format!("隐患汇总表有 {bad} 行与重算不一致：请运行 anjian rollups rebuild"),
                    1,
                ))
            }
        }
        RollupsWhat::Rebuild(db) => {
            let app = open(&db, DEFAULT_DB)?;
            let started = std::time::Instant::now();
            let rows = app.rebuild_rollups()?;
            for c in &rows {
                println!("{}（{}）：{} 行", table_name(&c.table), c.table, c.rows);
            }
            println!(
                "隐患汇总表已按隐患记录重建，用时 {:.1} 秒。",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
    }
}

pub(super) fn audit(what: AuditWhat) -> Result<(), Fail> {
    let AuditWhat::Verify(db) = what;
    let app = open(&db, DEFAULT_DB)?;
    let r = app.verify_audit(None)?;
    if r.ok() {
        println!("审计哈希链完整：共校验 {} 条记录。", r.checked);
        Ok(())
    } else {
        for p in &r.problems {
            println!("第 {} 条审计记录：{}", p.seq, p.problem);
        }
        Err(Fail(
            format!(
                "审计哈希链校验失败：发现 {} 处异常（共 {} 条记录）",
                r.problems.len(),
                r.checked
            ),
            1,
        ))
    }
}
