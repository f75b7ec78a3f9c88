//! The application tests, one binary (one link instead of one per file): each module is the
//! tests of one feature, on every configured store.

mod assessment;
mod calibration;
mod campaigns;
mod dispatch;
mod emergency;
mod figures;
mod forest;
mod hazard_import;
mod letters;
mod monitoring;
mod ranking;
mod responsibility;
mod roster;
mod station;
mod stats;
mod training;

/// A fresh copy of the demo county generated with `seed` on 2023-01-10, as `anjian demo
/// --seed` makes it. This process generates each seed's county once (most of a minute in a
/// debug build) and copies it for each test that reads it.
pub fn demo_store(seed: u64) -> anjian_store::testing::TestStore {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let file =
        anjian_store::testing::process_fixture(dir, &format!("app-demo-seed{seed}"), |path| {
            let url = anjian_store::StoreUrl::Sqlite(path.to_path_buf());
            let store = anjian_store::Store::open(&url).map_err(|e| e.to_string())?;
            let app = anjian_app::demo::demo_app(std::sync::Arc::new(store), seed);
            anjian_app::demo::generate(&app, seed, &mut |_, _, _| {})
                .map(drop)
                .map_err(|e| e.to_string())
        })
        .unwrap_or_else(|e| panic!("the demo county (seed {seed}): {e}"));
    anjian_store::testing::TestStore::sqlite_copy_of(&file)
        .unwrap_or_else(|e| panic!("a copy of the demo county: {e}"))
}
