//! Structured logs (issue 22): `--log-format json` writes one JSON object per log line, with
//! the event's fields (here an import refused for a limit, naming the user and the limit).

use super::*;

#[test]
fn json_logs_are_one_object_per_line_with_the_fields() {
    let t = TempDir::new("json-logs");
    let o = anjian(&t.0, &["migrate", "--db", &t.db()]);
    assert!(o.status.success(), "{}", out(&o));
    let header: Vec<String> = (0..100).map(|i| format!("c{i}")).collect();
    let row = vec!["x"; 100].join(",");
    let file = t.0.join("wide.csv");
    std::fs::write(&file, format!("{}\n{row}\n", header.join(","))).unwrap();
    let o = anjian(
        &t.0,
        &[
            "--log-format",
            "json",
            "import",
            "enterprises",
            file.to_str().unwrap(),
            "--db",
            &t.db(),
        ],
    );
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    let logged: Vec<serde_json::Value> = err
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        logged.iter().any(|v| v["level"] == "WARN"
            && v["fields"]["limit"] == "import_max_columns"
            && v["fields"]["user"] == "cli"),
        "{err}"
    );
    // The user still gets the message in Chinese, as a line of its own.
    assert!(err.contains("错误：") && err.contains("列的上限"), "{err}");
}
