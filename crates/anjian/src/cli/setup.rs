//! Setting up a store: migrations and the demo data (a county, or a benchmark province).

use super::*;

/// Applies pending migrations and reports the schema version.
pub(super) fn migrate(db: DbArg) -> Result<(), Fail> {
    let url = db.db.clone().unwrap_or_else(|| DEFAULT_DB.to_string());
    let url = StoreUrl::parse(&url).map_err(|e| Fail(e, 2))?;
    // Store::open applies pending migrations; report the resulting version.
    let store = Store::open(&url).map_err(|e| Fail(format!("迁移失败：{e}"), 1))?;
    println!(
        "数据库 {} 已迁移至第 {} 版",
        describe(&url),
        store.schema_version()?
    );
    Ok(())
}

/// Starts a real county on an empty store (`anjian init --county 430181`).
pub(super) fn init(a: InitArgs) -> Result<(), Fail> {
    let store = open_store(&a.db, DEFAULT_DB)?;
    let app = app_on(store)?;
    let s = app.init_county(&a.county, !a.no_villages, "cli")?;
    let c = &s.county;
    println!(
        "已初始化 {}（{}）：乡镇（街道）{} 个、村（社区）{} 个，共写入区划 {} 个（{}）。",
        c.full_name(),
        c.code,
        c.townships.len(),
        c.villages.len(),
        s.written,
        anjian_app::divisions::EDITION
    );
    println!("下一步：创建第一个管理员账号，例如");
    println!(
        "  anjian user add --role admin --username admin --display-name 安委办管理员 --password '初始密码'"
    );
    println!("然后启动服务：anjian serve（首次登录须修改密码）。");
    Ok(())
}

/// Fills an empty store with the demo county, or the benchmark province.
pub(super) fn demo_command(a: DemoArgs) -> Result<(), Fail> {
    if matches!(a.scale, Scale::Province) {
        let store = open_store(&a.db, DEFAULT_DB)?;
        let spec = anjian_app::demo::province::ProvinceSpec {
            counties: a.counties,
            first_year: 2023 - a.years.clamp(1, 20) as i32,
            years: a.years,
            hazards_per_county_year: a.per_county_year,
        };
        let app = anjian_app::demo::demo_app(store.clone(), a.seed);
        let pb = bar(spec.total() as u64, "隐患");
        let started = std::time::Instant::now();
        let n = anjian_app::demo::province::generate(&app, a.seed, &spec, &mut |done, total| {
            pb.set_length(total as u64);
            pb.set_position(done as u64);
        })?;
        pb.finish_and_clear();
        let secs = started.elapsed().as_secs_f64();
        println!(
            "已生成基准省：{} 个县 × {} 年，隐患 {n} 条（含事件），用时 {secs:.1} 秒，{:.0} 条/秒。",
            spec.counties,
            spec.years,
            n as f64 / secs.max(1e-9)
        );
        return Ok(());
    }
    let store = open_store(&a.db, DEFAULT_DB)?;
    let s = demo(&anjian_app::demo::demo_app(store.clone(), a.seed), a.seed)?;
    print_accounts(&s);
    println!("数据摘要（同一种子应相同）：{}", store.content_digest()?);
    Ok(())
}

pub(super) fn demo(app: &App, seed: u64) -> Result<anjian_app::demo::DemoSummary, Fail> {
    let pb = bar(0, "演示数据");
    let s = anjian_app::demo::generate(app, seed, &mut |what, done, total| {
        pb.set_message(what.to_string());
        pb.set_length(total as u64);
        pb.set_position(done as u64);
    })?;
    pb.finish_and_clear();
    println!(
        "已生成演示县 {}：乡镇（街道）{} 个、村（社区）{} 个、网格 {} 个、部门 {} 个、企业 {} 家、隐患 {} 条。",
        anjian_app::demo::DEMO_COUNTY_NAME,
        s.townships,
        s.villages,
        s.grids,
        s.departments,
        s.enterprises,
        s.hazards
    );
    Ok(s)
}

pub(super) fn print_accounts(s: &anjian_app::demo::DemoSummary) {
    println!("演示账号（密码均为 {}）：", anjian_app::demo::DEMO_PASSWORD);
    for (u, name, role) in &s.accounts {
        println!("  {u:<12} {role:<10} {name}");
    }
}

/// `anjian demo-sensors`: the demo county's monitoring points publishing live, each round
/// every point's reading near its normal value, and every `alarm_every` rounds one point
/// (the next in turn) past its yellow threshold for three rounds, so alarms arrive, rise and
/// clear on a server started with `serve --demo --mqtt URL`.
pub(super) fn demo_sensors(a: DemoSensorsArgs) -> Result<(), Fail> {
    let sensors = anjian_app::demo::monitoring::sensors();
    let publ = anjian_app::monitoring::mqtt::Publisher::connect(
        &a.mqtt,
        &format!("anjian-demo-sensors-{}", std::process::id()),
    )
    .map_err(|m| Fail(format!("--mqtt：{m}"), 2))?;
    println!(
        "向 {} 的主题 anjian/demo-gateway/readings 发布 {} 个测点的读数，每 {} 秒一轮（Ctrl-C 停止）",
        a.mqtt,
        sensors.len(),
        a.interval
    );
    let mut seed = 0x5EED_u64;
    let mut noise = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % 2001) as f64 / 1000.0 - 1.0
    };
    for round in 0u64.. {
        if a.rounds > 0 && round >= a.rounds {
            break;
        }
        let now = anjian_domain::Clock::now(&anjian_domain::SystemClock).timestamp_millis();
        // The point in alarm this round, if any: three rounds past yellow, then back.
        let alarmed = (a.alarm_every > 0)
            .then(|| round / a.alarm_every)
            .filter(|_| round % a.alarm_every < 3)
            .map(|k| (k as usize * 7) % sensors.len());
        let readings: Vec<serde_json::Value> = sensors
            .iter()
            .enumerate()
            .map(|(i, (device, kind, normal, spread, alarm))| {
                let v = if Some(i) == alarmed {
                    *alarm
                } else if *kind == "rainfall" {
                    0.0
                } else {
                    normal + noise() * spread
                };
                serde_json::json!({"device": device, "ts": now, "value": (v * 100.0).round() / 100.0})
            })
            .collect();
        let body = serde_json::json!({"gateway": "demo-gateway", "readings": readings});
        publ.publish(
            "anjian/demo-gateway/readings",
            body.to_string().into_bytes(),
        )
        .map_err(|m| Fail(format!("发布失败：{m}"), 1))?;
        if let Some(i) = alarmed {
            println!(
                "第{}轮：{} 读数 {}（达到黄色预警）",
                round + 1,
                sensors[i].0,
                sensors[i].4
            );
        }
        std::thread::sleep(std::time::Duration::from_secs(a.interval));
    }
    publ.close(std::time::Duration::from_millis(500));
    Ok(())
}
