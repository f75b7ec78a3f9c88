//! Import bombs (issue: one upload could exhaust the server): each is refused with a 4xx and
//! a stable code while the serving process's peak memory stays under 200 MB. The benchmark
//! runs the server in its own process and samples its RSS; this test runs the full-size
//! bombs (a 110 MB-unzipped XLSX, 400,000 junk CSV rows, 100,000 columns, a 9 MB cell).

use super::*;

#[test]
fn every_import_bomb_is_refused_within_200_mb_of_server_memory() {
    let t = TempDir::new("bombs");
    let o = anjian(&t.0, &["bench", "import-bombs"]);
    assert!(o.status.success(), "{}", out(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .filter(|v: &serde_json::Value| v["bench"] == "import_bombs")
        .collect();
    let bombs: Vec<&str> = lines.iter().filter_map(|l| l["bomb"].as_str()).collect();
    for expected in [
        "xlsx_zip_bomb",
        "csv_junk_rows",
        "csv_too_many_columns",
        "csv_giant_cell",
    ] {
        assert!(bombs.contains(&expected), "{expected} not run: {stdout}");
    }
    for l in &lines {
        let status = l["status"].as_u64().unwrap_or(0);
        assert!((400..500).contains(&status), "not refused: {l}");
        assert!(
            l["error"]
                .as_str()
                .is_some_and(|e| e.starts_with("import_")),
            "no stable code: {l}"
        );
        let peak = l["server_peak_rss_mb"].as_f64().unwrap_or(f64::MAX);
        assert!(peak < 200.0, "peak RSS {peak} MB: {l}");
        assert!(
            l["response_bytes"].as_u64().unwrap_or(u64::MAX) < 100_000,
            "the answer is bounded too: {l}"
        );
    }
}
