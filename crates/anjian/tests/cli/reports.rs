//! Reports for a year, a half, and refused periods.

use super::*;

#[test]
fn reports_for_a_year_a_half_and_bad_periods() {
    let t = TempDir::new("report-periods");
    let o = demo_in(&t, None);
    assert!(o.status.success(), "{}", out(&o));
    let o = anjian(
        &t.0,
        &[
            "report",
            "annual",
            "--year",
            "2022",
            "--format",
            "json",
            "--db",
            &t.db(),
        ],
    );
    assert!(o.status.success(), "{}", out(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    let metrics = v["metrics"].as_array().cloned().unwrap_or_default();
    assert!(metrics.len() > 100, "every metric listed");
    assert!(
        metrics
            .iter()
            .all(|m| m["id"].is_string() && m["label"].is_string() && m["unit"].is_string())
    );
    let year_found = metrics
        .iter()
        .find(|m| m["id"] == "hazards.found")
        .map(|m| m["raw"].clone());
    let o = anjian(
        &t.0,
        &[
            "report",
            "period",
            "--period",
            "2022-H1",
            "--format",
            "json",
            "--db",
            &t.db(),
        ],
    );
    assert!(o.status.success(), "{}", out(&o));
    let h: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    assert_eq!(h["period_name"], "2022年上半年");
    let half_found = h["metrics"].as_array().and_then(|a| {
        a.iter()
            .find(|m| m["id"] == "hazards.found")
            .map(|m| m["raw"].clone())
    });
    assert!(
        half_found.as_ref().and_then(|v| v.as_i64()) < year_found.as_ref().and_then(|v| v.as_i64())
    );
    let o = anjian(
        &t.0,
        &["report", "period", "--period", "2022-Q5", "--db", &t.db()],
    );
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("--period"));
    let docx = t.0.join("r.docx");
    let o = anjian(
        &t.0,
        &[
            "report",
            "annual",
            "--year",
            "2022",
            "--format",
            "docx",
            "--out",
            docx.to_str().unwrap_or_default(),
            "--db",
            &t.db(),
        ],
    );
    assert!(o.status.success(), "{}", out(&o));
    assert!(std::fs::read(&docx).unwrap_or_default().starts_with(b"PK"));
}

/// `anjian report … | head`, `anjian demo | head`: the reader goes away and the command ends
/// quietly (issue 22), without a panic or an error message, with the status of a process
/// ended by SIGPIPE. The report writes its output itself; the demo prints with `println!`.
#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    use std::process::Stdio;
    let t = TempDir::new("broken-pipe");
    let db = t.db();
    let other = format!("sqlite://{}", t.0.join("b.sqlite").display());
    let o = demo_in(&t, None);
    assert!(o.status.success(), "{}", out(&o));
    for args in [
        vec!["report", "annual", "--year", "2022", "--db", &db],
        vec!["demo", "--db", &other],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_anjian"))
            .args(&args)
            .current_dir(&t.0)
            .env_remove("ANJIAN_DB")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before anything is written (as `head` does once it has its
        // lines; both commands take a moment before they print).
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            !err.contains("panicked") && !err.contains("错误"),
            "{args:?}: {err}"
        );
        assert_eq!(o.status.code(), Some(141), "{args:?}: {err}");
    }
}
