//! 包片包线 and 约谈问责 from spreadsheets: every row checked, bad rows reported by number,
//! nothing written unless --skip-invalid.

use super::*;

#[test]
fn leaders_and_accountability_import_row_by_row() {
    let t = TempDir::new("responsibility");
    let db = t.db();
    let streets = t.0.join("streets.json");
    std::fs::write(
        &streets,
        r#"[{"code":"360982100","name":"临江镇","areaCode":"360982","cityCode":"3609","provinceCode":"36"},
            {"code":"360982101","name":"永泰镇","areaCode":"360982","cityCode":"3609","provinceCode":"36"}]"#,
    )
    .unwrap();
    let args = |v: &[&str]| -> Vec<String> { v.iter().map(|s| s.to_string()).collect() };
    let run = |v: Vec<String>| {
        let refs: Vec<&str> = v.iter().map(String::as_str).collect();
        anjian(&t.0, &refs)
    };
    let o = run(args(&[
        "import",
        "regions",
        &streets.to_string_lossy(),
        "--county",
        "360982",
        "--county-name",
        "樟树市",
        "--db",
        &db,
    ]));
    assert!(o.status.success(), "{}", out(&o));
    let leaders = t.0.join("leaders.csv");
    std::fs::write(
        &leaders,
        "领导姓名,职务,联系电话,类别,包保对象,依据文件,起始日期,终止日期\n\
         李明,副市长,,包片,临江镇,责任制,2022-01-01,\n\
         张华,副市长,,包片,临江镇,责任制,2022-07-01,\n\
         王五,副市长,,包片,没有镇,责任制,2022-01-01,\n",
    )
    .unwrap();
    let o = run(args(&[
        "import",
        "leaders",
        &leaders.to_string_lossy(),
        "--db",
        &db,
    ]));
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("第4行：包保对象"), "{}", out(&o));
    let o = run(args(&[
        "import",
        "leaders",
        &leaders.to_string_lossy(),
        "--skip-invalid",
        "--db",
        &db,
    ]));
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("写入 2 行"), "{}", out(&o));
    let acc = t.0.join("acc.csv");
    std::fs::write(
        &acc,
        "类型,主题,对象类别,对象,涉及人员,处理措施,决定机关,日期,事由\n\
         警示约谈,森林防灭火,乡镇,永泰镇,王强/镇长/永泰镇人民政府,,市森防指,2022-05-01,火警频发\n\
         问责,森林防灭火,乡镇,永泰镇,,,市安委会,2022-05-02,落实不力\n",
    )
    .unwrap();
    let o = run(args(&[
        "import",
        "accountability",
        &acc.to_string_lossy(),
        "--db",
        &db,
    ]));
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("第3行：处理措施"), "{}", out(&o));
    let s = store(&t);
    let n = s
        .list_accountability(
            &Scope::system(),
            None,
            &Default::default(),
            &anjian_store::paging::Keyset::first(10),
        )
        .unwrap()
        .items
        .len();
    assert_eq!(n, 0, "nothing written");
    assert_eq!(s.list_leaders(&Scope::system()).unwrap().len(), 2);
}

/// The accident register from a spreadsheet through the CLI: the bad row reported by its
/// number and the fields, nothing written; with --skip-invalid the good rows, levelled.
#[test]
fn accidents_import_row_by_row() {
    let t = TempDir::new("accidents");
    let db = t.db();
    let streets = t.0.join("streets.json");
    std::fs::write(
        &streets,
        r#"[{"code":"360982100","name":"临江镇","areaCode":"360982","cityCode":"3609","provinceCode":"36"},
            {"code":"360982101","name":"永泰镇","areaCode":"360982","cityCode":"3609","provinceCode":"36"}]"#,
    )
    .unwrap();
    let db_args = ["--db", db.as_str()];
    let mut a = vec!["import", "regions", streets.to_str().unwrap_or_default()];
    a.extend(["--county", "360982", "--county-name", "樟树市"]);
    a.extend(db_args);
    let o = anjian(&t.0, &a);
    assert!(o.status.success(), "{}", out(&o));
    let csv = t.0.join("acc.csv");
    std::fs::write(
        &csv,
        "类别,发生时间,乡镇（街道）,事故地点,事故单位,行业领域,事故类型,死亡（人）,失踪（人）,重伤（人）,轻伤（人）,直接经济损失（元）,受害森林面积（公顷）,简要经过,单位报告时间,县级上报时间\n\
         生产安全事故,2022-03-01 10:00,临江镇,枫林村采石场,,非煤矿山,高处坠落,1,0,0,0,120000.50,,作业人员坠落,2022-03-01 10:40,2022-03-01 12:00\n\
         火灾,2022-03-02 20:00,永泰镇,石塘村民房,,,用火不慎,0,0,0,1,3000,,厨房起火,,\n\
         生产安全事故,2022-13-01 10:00,临江镇,厂区,,非煤矿山,打架,x,0,0,0,1.234,,,,\n",
    )
    .unwrap();
    let file = csv.to_str().unwrap_or_default();
    let mut a = vec!["import", "accidents", file];
    a.extend(db_args);
    let o = anjian(&t.0, &a);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    for word in ["第4行", "发生时间", "事故类型", "死亡（人）"] {
        assert!(out(&o).contains(word), "{word}: {}", out(&o));
    }
    let s = store(&t);
    let count = |s: &Store| {
        s.list_accidents(
            &Scope::system(),
            &Default::default(),
            &anjian_store::paging::Keyset::first(10),
        )
        .map(|p| p.items.len())
        .unwrap_or(usize::MAX)
    };
    assert_eq!(count(&s), 0, "nothing written");
    a.push("--skip-invalid");
    let o = anjian(&t.0, &a);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("写入 2 行"), "{}", out(&o));
    assert_eq!(count(&s), 2);
}
