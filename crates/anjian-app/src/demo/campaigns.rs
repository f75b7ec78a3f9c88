//! The demo county's campaign ledgers of 2022: the six shipped definitions loaded, and each
//! ledger filled through the same import a township's spreadsheet goes through (a table of
//! typed cells, every row read with the definition's rules). The totals have the source
//! report's magnitudes: 25,020 self-built houses surveyed (3,640 commercial, of which 3,410
//! appraised in 2022), 468 gas users fitted with alarms, the fireworks producers and retail
//! outlets under "一清单、一台账、一承诺", the illegal mining points with 14 thefts stopped,
//! 86 workers dispersed, 6 sheds removed, 23 machines disposed and 132 adits sealed, and the
//! tailings ponds (2 de-listed, 1 treated, 4 fitted with online monitoring in 2022).

use super::{Rng, Town};
use crate::import::{ImportOptions, ImportSource};
use crate::{App, AppError, Caller, Result};
use anjian_domain::enterprise::NewEnterprise;

/// A table as a sheet would hold it: the headers, then one row of cells per record.
struct Sheet {
    headers: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

impl Sheet {
    fn new(headers: &[&'static str]) -> Self {
        Self {
            headers: headers.to_vec(),
            rows: Vec::new(),
        }
    }

    fn push(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The sheet saved as CSV (as a township would export it from Excel).
    fn csv(self) -> Result<Vec<u8>> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let fail = |e: csv::Error| AppError::Internal(format!("demo sheet: {e}"));
        w.write_record(&self.headers).map_err(fail)?;
        for r in &self.rows {
            w.write_record(r).map_err(fail)?;
        }
        w.into_inner()
            .map_err(|e| AppError::Internal(format!("demo sheet: {e}")))
    }
}

fn import(app: &App, admin: &Caller, code: &str, object: &str, sheet: Sheet) -> Result<usize> {
    let source = ImportSource::bytes("csv", sheet.csv()?);
    let r = app.import_campaign_rows(admin, code, object, &source, ImportOptions::default())?;
    if r.invalid_count > 0 || r.written != r.valid {
        return Err(AppError::Internal(format!(
            "demo campaign {code}/{object}: {}",
            r.lines().join("；")
        )));
    }
    Ok(r.written)
}

/// A day of 2022 between two months (inclusive), as text.
fn day(rng: &mut Rng, from_month: u32, to_month: u32) -> String {
    let m = from_month + rng.below((to_month - from_month + 1) as usize) as u32;
    let d = 1 + rng.below(28) as u32;
    format!("2022-{m:02}-{d:02}")
}

/// `total` split over `n` parts, each at least `min` (when the total allows), by the stream.
fn split(rng: &mut Rng, total: i64, n: usize, min: i64) -> Vec<i64> {
    let n = n.max(1);
    let floor = if total >= min * n as i64 { min } else { 0 };
    let mut parts = vec![floor; n];
    for _ in 0..(total - floor * n as i64) {
        let i = rng.below(n);
        parts[i] += 1;
    }
    parts
}

/// A village (code) of a random township, and the township's and village's names.
fn place<'a>(rng: &mut Rng, towns: &'a [Town]) -> (&'a str, String) {
    let Some(t) = rng.pick(towns) else {
        return ("", String::new());
    };
    match rng.pick(&t.2) {
        Some((code, name)) => (code.as_str(), format!("{}{}", t.1, name)),
        None => (t.0.as_str(), t.1.clone()),
    }
}

fn name(rng: &mut Rng) -> String {
    super::words::person_name(&mut |n| rng.below(n))
}

pub(super) fn generate(
    app: &App,
    seed: u64,
    towns: &[Town],
    list: &[NewEnterprise],
    ids: &[i64],
) -> Result<usize> {
    let admin = app.system_caller("demo")?;
    for (_, source) in crate::campaigns::SHIPPED {
        app.load_campaign(&admin, source)?;
    }
    let mut rng = Rng::new(seed ^ 0xCA4B_A167);
    let mut n = 0;
    n += houses(app, &admin, &mut rng, towns)?;
    n += gas(app, &admin, &mut rng, towns)?;
    n += fireworks(app, &admin, &mut rng, list, ids)?;
    n += mining(app, &admin, &mut rng, towns)?;
    n += fuel(app, &admin, &mut rng, towns)?;
    n += tailings(app, &admin, &mut rng, towns, list, ids)?;
    Ok(n)
}

fn houses(app: &App, admin: &Caller, rng: &mut Rng, towns: &[Town]) -> Result<usize> {
    const COMMERCIAL: usize = 3640;
    const RESIDENTIAL: usize = 21_380;
    const APPRAISED_2022: usize = 3410;
    let mut s = Sheet::new(&[
        "所在乡镇（村）",
        "房屋地址",
        "户主（产权人）",
        "经营性/非经营性",
        "房屋用途",
        "结构类型",
        "层数（层）",
        "建成年份（年）",
        "建筑面积（平方米）",
        "排查日期",
        "初步判定",
        "鉴定（评估）等级",
        "鉴定（评估）日期",
        "鉴定（评估）单位",
        "整治状态",
        "整治措施",
        "整治完成日期",
        "登记日期",
    ]);
    let structures = ["砖混（砌体）", "砖木", "钢筋混凝土", "混合结构", "土木"];
    let uses = [
        "餐饮",
        "出租",
        "住宿（民宿）",
        "批发零售",
        "生产加工",
        "“三合一”场所",
    ];
    for i in 0..COMMERCIAL + RESIDENTIAL {
        let commercial = i < COMMERCIAL;
        let (code, at) = place(rng, towns);
        let surveyed = day(rng, 5, 10);
        let floors = 1 + rng.below(if commercial { 5 } else { 4 });
        let grade = if commercial {
            match rng.below(100) {
                0..=69 => "A",
                70..=93 => "B",
                94..=98 => "C",
                _ => "D",
            }
        } else {
            ""
        };
        let appraised_on = if !commercial {
            String::new()
        } else if i < APPRAISED_2022 {
            day(rng, 6, 12)
        } else {
            format!("2023-0{}-{:02}", 1 + rng.below(3), 1 + rng.below(28))
        };
        let dangerous = matches!(grade, "C" | "D");
        let (status, measures, done) = if dangerous {
            match rng.below(3) {
                0 => (
                    "整治中",
                    "设置警示标志，停止经营，委托加固设计",
                    String::new(),
                ),
                1 => ("已整治", "加固改造并复核鉴定", day(rng, 10, 12)),
                _ => ("已拆除", "拆除重建", day(rng, 10, 12)),
            }
        } else {
            ("无需整治", "", String::new())
        };
        s.push(vec![
            code.to_string(),
            format!("{at}{}组{}号", 1 + rng.below(12), 1 + rng.below(80)),
            name(rng),
            if commercial {
                "经营性"
            } else {
                "非经营性"
            }
            .into(),
            if commercial {
                uses[rng.below(uses.len())]
            } else if rng.chance(8) {
                "出租"
            } else {
                "自住"
            }
            .into(),
            structures[rng.below(structures.len())].into(),
            floors.to_string(),
            (1975 + rng.below(46)).to_string(),
            format!("{}.{}", (60 + rng.below(240)) * floors, rng.below(10)),
            surveyed.clone(),
            if dangerous {
                "存在倒塌风险"
            } else if rng.chance(6) {
                "一般安全隐患"
            } else {
                "无隐患"
            }
            .into(),
            grade.into(),
            appraised_on,
            if commercial {
                "清江市建设工程质量检测中心"
            } else {
                ""
            }
            .into(),
            status.into(),
            measures.into(),
            done,
            surveyed,
        ]);
    }
    import(app, admin, "zijianfang", "building", s)
}

fn gas(app: &App, admin: &Caller, rng: &mut Rng, towns: &[Town]) -> Result<usize> {
    const FITTED: usize = 468;
    const NOT_YET: usize = 57;
    let mut s = Sheet::new(&[
        "用户名称（店招）",
        "所在乡镇（村、社区）",
        "经营地址",
        "用户类型",
        "用气种类",
        "在用液化气钢瓶（只）",
        "已安装可燃气体报警装置",
        "报警装置安装日期",
        "排查日期",
    ]);
    let kinds = ["餐饮", "餐饮", "餐饮", "单位食堂", "宾馆酒店"];
    let shops = ["饭店", "小吃店", "酒家", "农家乐", "面馆", "食堂"];
    for i in 0..FITTED + NOT_YET {
        let (code, at) = place(rng, towns);
        let lpg = rng.chance(70);
        s.push(vec![
            format!("{}{}", name(rng), shops[rng.below(shops.len())]),
            code.to_string(),
            format!("{at}街{}号", 1 + rng.below(200)),
            kinds[rng.below(kinds.len())].into(),
            if lpg {
                "液化石油气"
            } else {
                "管道天然气"
            }
            .into(),
            if lpg {
                (1 + rng.below(4)).to_string()
            } else {
                String::new()
            },
            if i < FITTED { "是" } else { "否" }.into(),
            if i < FITTED {
                day(rng, 4, 12)
            } else {
                String::new()
            },
            day(rng, 3, 11),
        ]);
    }
    let mut n = import(app, admin, "ranqi", "gas_user", s)?;
    let mut s = Sheet::new(&[
        "所在乡镇（村、社区）",
        "检查日期",
        "检查方式",
        "检查对象",
        "检查单位",
        "发现问题隐患（处）",
        "整治问题隐患（处）",
    ]);
    for i in 0..17 {
        let Some(t) = rng.pick(towns) else {
            break;
        };
        let found = 2 + rng.below(6) as i64;
        s.push(vec![
            t.0.clone(),
            day(rng, 3, 11),
            if i < 8 {
                "执法检查"
            } else {
                "督导检查"
            }
            .into(),
            format!("{}餐饮燃气用户", t.1),
            if i < 8 {
                "清江市城市管理局"
            } else {
                "市安委办"
            }
            .into(),
            found.to_string(),
            found.to_string(),
        ]);
    }
    n += import(app, admin, "ranqi", "inspection", s)?;
    Ok(n)
}

fn fireworks(
    app: &App,
    admin: &Caller,
    rng: &mut Rng,
    list: &[NewEnterprise],
    ids: &[i64],
) -> Result<usize> {
    let firms: Vec<(&NewEnterprise, i64)> = list
        .iter()
        .zip(ids.iter().copied())
        .filter(|(e, _)| e.sectors.first().map(String::as_str) == Some("fireworks"))
        .collect();
    let (producers, outlets) = firms.split_at(super::county::FIREWORKS_PRODUCERS.min(firms.len()));
    let mut s = Sheet::new(&[
        "企业名称",
        "企业库登记",
        "所在乡镇（村）",
        "安全生产许可证编号",
        "许可证有效期至",
        "核查日期",
        "一清单：已建立安全风险管控和隐患排查清单",
        "一台账：已建立原材料和产品进出库台账",
        "一承诺：已签订安全承诺书",
        "承诺书签订日期",
    ]);
    for (k, (e, id)) in producers.iter().enumerate() {
        s.push(vec![
            e.name.clone(),
            id.to_string(),
            e.region_code.as_str().to_string(),
            format!("（赣）YH安许证字〔2020〕{:03}号", 11 + k),
            "2023-12-31".into(),
            day(rng, 2, 3),
            "是".into(),
            "是".into(),
            "是".into(),
            day(rng, 2, 3),
        ]);
    }
    let mut n = import(app, admin, "yanhua", "producer", s)?;
    let mut s = Sheet::new(&[
        "网点名称",
        "经营主体",
        "所在乡镇（村）",
        "经营地址",
        "网点类型",
        "零售许可证编号",
        "许可证有效期至",
        "核查日期",
        "一清单：已建立安全风险和隐患排查清单",
        "一台账：已建立进销货流向台账",
        "一承诺：已签订安全承诺书",
        "承诺书签订日期",
    ]);
    for (k, (e, id)) in outlets.iter().enumerate() {
        s.push(vec![
            e.name.clone(),
            id.to_string(),
            e.region_code.as_str().to_string(),
            e.address.clone(),
            if rng.chance(85) {
                "固定零售点"
            } else {
                "临时零售点"
            }
            .into(),
            format!("烟零〔2022〕{:04}号", 100 + k),
            "2022-12-31".into(),
            day(rng, 1, 2),
            "是".into(),
            "是".into(),
            "是".into(),
            day(rng, 1, 2),
        ]);
    }
    n += import(app, admin, "yanhua", "outlet", s)?;
    Ok(n)
}

fn mining(app: &App, admin: &Caller, rng: &mut Rng, towns: &[Town]) -> Result<usize> {
    const POINTS: usize = 40;
    let mut s = Sheet::new(&[
        "所在乡镇（村）",
        "点位（小地名）",
        "点位类型",
        "矿种",
        "发现途径",
        "发现日期",
        "制止盗采行为（起）",
        "遣散务工人员（人）",
        "拆除工棚（座）",
        "处置盗采机械设备（台）",
        "关闭封堵废弃矿硐（矿坑）（个）",
        "处置情况",
    ]);
    // The thefts happen at 14 of the points; workers, sheds and machines where thefts were.
    let thefts = split(rng, 14, 14, 1);
    let workers = split(rng, 86, 14, 2);
    let sheds = split(rng, 6, 14, 0);
    let machines = split(rng, 23, 14, 1);
    let adits = split(rng, 132, POINTS, 1);
    let hills = [
        "金坑",
        "老虎岭",
        "石门坳",
        "黄泥垄",
        "乌石岭",
        "板岩坑",
        "大坳",
        "井头",
    ];
    for i in 0..POINTS {
        let (code, _) = place(rng, towns);
        let at = |v: &[i64]| v.get(i).copied().unwrap_or(0).to_string();
        s.push(vec![
            code.to_string(),
            format!("{}{}号点", hills[rng.below(hills.len())], 1 + i),
            if i < 14 {
                "非法采矿点"
            } else {
                "废弃矿硐（矿坑）"
            }
            .into(),
            if rng.chance(60) {
                "金矿"
            } else {
                "炭质板岩"
            }
            .into(),
            if rng.chance(70) {
                "动态巡查"
            } else {
                "群众举报"
            }
            .into(),
            day(rng, 1, 12),
            at(&thefts),
            at(&workers),
            at(&sheds),
            at(&machines),
            adits.get(i).copied().unwrap_or(0).to_string(),
            "现场制止，封堵硐口，设置警示标志".into(),
        ]);
    }
    import(app, admin, "dafei", "illegal_point", s)
}

fn fuel(app: &App, admin: &Caller, rng: &mut Rng, towns: &[Town]) -> Result<usize> {
    let mut s = Sheet::new(&[
        "单位名称（店招）",
        "所在乡镇（村、社区）",
        "经营地址",
        "场所类型",
        "排查日期",
        "燃料来源合法（从有资质单位购进，索证索票、进货台账齐全）",
        "使用合格的醇基燃料专用灶具和供料装置",
        "储存规范（专用储存间或储存柜，远离火源、通风，不超量储存，不用塑料桶盛装）",
        "未与燃气在同一厨房混用（无“双燃料”）",
        "熄火冷却后添加燃料（严禁明火加注）",
        "从业人员经安全培训（掌握安全使用和应急处置）",
        "整改情况",
        "存在问题",
        "整改完成日期",
    ]);
    for _ in 0..126 {
        let (code, at) = place(rng, towns);
        let flaws: Vec<bool> = (0..6).map(|_| rng.chance(12)).collect();
        let any = flaws.iter().any(|f| *f);
        let (state, problem, done) = if !any {
            ("无需整改", String::new(), String::new())
        } else if rng.chance(25) {
            (
                "已停用（改用其他燃料）",
                "灶具不合格、无进货台账".to_string(),
                day(rng, 8, 12),
            )
        } else {
            ("已整改", "储存不规范、未培训".to_string(), day(rng, 8, 12))
        };
        let mut row = vec![
            format!("{}{}", name(rng), "饭店"),
            code.to_string(),
            format!("{at}{}号", 1 + rng.below(150)),
            if rng.chance(80) {
                "餐饮店"
            } else {
                "单位食堂"
            }
            .into(),
            day(rng, 6, 9),
        ];
        row.extend(
            flaws
                .iter()
                .map(|f| if *f { "否" } else { "是" }.to_string()),
        );
        row.extend([state.to_string(), problem, done]);
        s.push(row);
    }
    import(app, admin, "chunji", "fuel_user", s)
}

fn tailings(
    app: &App,
    admin: &Caller,
    rng: &mut Rng,
    towns: &[Town],
    list: &[NewEnterprise],
    ids: &[i64],
) -> Result<usize> {
    let mines: Vec<(&NewEnterprise, i64)> = list
        .iter()
        .zip(ids.iter().copied())
        .filter(|(e, _)| e.sectors.first().map(String::as_str) == Some("mines"))
        .take(9)
        .collect();
    let mut s = Sheet::new(&[
        "尾矿库名称",
        "所属企业",
        "所在乡镇（村）",
        "等别",
        "筑坝方式",
        "总库容（万立方米）",
        "“头顶库”（下游1公里内有居民或重要设施）",
        "运行状态",
        "安全度",
        "投入使用日期",
        "已安装在线安全监测系统",
        "在线监测系统安装完成日期",
        "已接入省厅平台",
        "闭库治理已完成",
        "闭库治理完成日期",
        "闭库日期",
        "销库日期",
    ]);
    for (k, (e, id)) in mines.iter().enumerate() {
        // Two de-listed in 2022 (one a "头顶库"), one treated for closure, four fitted with
        // online monitoring in 2022; the rest in use, monitored since earlier years.
        let (status, closed, delisted) = match k {
            0 | 1 => ("已销库", day(rng, 3, 5), day(rng, 6, 10)),
            2 => ("闭库", "2021-11-20".to_string(), String::new()),
            _ => ("在用", String::new(), String::new()),
        };
        let in_use = status == "在用";
        let monitoring_on = match k {
            3..=6 => day(rng, 5, 11),
            _ if in_use => "2020-09-30".to_string(),
            _ => String::new(),
        };
        let place = match e.region_code.as_str() {
            "" => rng.pick(towns).map(|t| t.0.clone()).unwrap_or_default(),
            code => code.to_string(),
        };
        s.push(vec![
            format!("{}尾矿库", e.name.trim_end_matches("有限公司")),
            id.to_string(),
            place,
            ["四等", "五等", "五等", "四等"][k % 4].into(),
            "上游式".into(),
            format!("{}.{}", 20 + rng.below(180), rng.below(10)),
            if k == 0 { "是" } else { "否" }.into(),
            status.into(),
            if in_use { "正常库" } else { "" }.into(),
            format!("{}-06-01", 2005 + k),
            if monitoring_on.is_empty() {
                "否"
            } else {
                "是"
            }
            .into(),
            monitoring_on.clone(),
            if monitoring_on.is_empty() { "" } else { "是" }.into(),
            if k == 2 { "是" } else { "否" }.into(),
            if k == 2 {
                day(rng, 7, 9)
            } else {
                String::new()
            },
            closed,
            delisted,
        ]);
    }
    import(app, admin, "weikuangku", "pond", s)
}
