//! The binary end to end: demo, audit verification after tampering, imports
//! with row reports, user creation, region import.

// Test code: a failing unwrap is a failing test (clippy allows it in #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anjian_domain::Scope;
use anjian_store::{Store, StoreUrl};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod audit;
mod backup;
mod bombs;
mod demo;
mod draws;
mod durability;
mod logs;
mod regions;
mod reports;
mod responsibility;
mod rollups;
mod update;
mod users;
mod xlsx;

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        // Test names are unique within the binary, and the process id separates concurrent runs.
        let p = std::env::temp_dir().join(format!("anjian-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        let _ = std::fs::create_dir_all(&p);
        Self(p)
    }
    fn db(&self) -> String {
        format!("sqlite://{}", self.0.join("a.sqlite").display())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn anjian(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_anjian"))
        .args(args)
        .current_dir(dir)
        .env_remove("ANJIAN_DB")
        .output()
        .unwrap_or_else(|e| panic!("cannot run anjian: {e}"))
}

fn out(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Runs `anjian args` in `dir`, which must succeed.
fn ok(dir: &Path, args: &[&str]) {
    let o = anjian(dir, args);
    assert!(o.status.success(), "anjian {args:?}: {}", out(&o));
}

/// `init` of Liuyang (430181) in store `db`, with its townships and villages.
fn init_county(dir: &Path, db: &str) {
    ok(dir, &["init", "--county", "430181", "--db", db]);
}

/// A village of the store's county (after [`init_county`]).
fn a_village(store: &Store) -> String {
    store
        .list_regions(&Scope::system(), None, None)
        .unwrap_or_default()
        .into_iter()
        .find(|r| r.level == "village")
        .map(|r| r.code)
        .unwrap_or_else(|| panic!("a village"))
}

/// `anjian demo [--seed seed] --db <t's a.sqlite>`, answered from a copy: this process runs
/// the command once per seed (most of a minute in a debug build), and each test that needs
/// the county gets a copy of the store it made and the command's output. Tests of the
/// command itself run it.
fn demo_in(t: &TempDir, seed: Option<&str>) -> Output {
    static OUTPUTS: std::sync::Mutex<Vec<(String, Output)>> = std::sync::Mutex::new(Vec::new());
    let name = format!("cli-demo-seed{}", seed.unwrap_or("default"));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let file = anjian_store::testing::process_fixture(dir, &name, |path| {
        let url = format!("sqlite://{}", path.display());
        let mut args = vec!["demo", "--db", &url];
        if let Some(s) = seed {
            args.extend(["--seed", s]);
        }
        let o = anjian(dir, &args);
        let made = o.status.success();
        let text = out(&o);
        OUTPUTS.lock().unwrap().push((name.clone(), o));
        if made { Ok(()) } else { Err(text) }
    })
    .unwrap();
    anjian_store::testing::copy_sqlite_file(&file, &t.0.join("a.sqlite")).unwrap();
    let outputs = OUTPUTS.lock().unwrap();
    outputs
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, o)| o.clone())
        .unwrap()
}

fn store(t: &TempDir) -> Store {
    Store::open(&StoreUrl::Sqlite(t.0.join("a.sqlite"))).unwrap()
}

#[test]
fn help_lists_the_subcommands() {
    let t = TempDir::new("help");
    let o = anjian(&t.0, &["--help"]);
    assert!(o.status.success());
    let text = out(&o);
    for cmd in [
        "serve", "migrate", "demo", "import", "export", "user", "audit",
    ] {
        assert!(text.contains(cmd), "help lacks {cmd}");
    }
}
