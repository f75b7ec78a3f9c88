//! The enterprise table: its columns, and every row validated as a registration.

use super::*;

/// Column headers of the enterprise ledger (export and import share them).
pub const ENTERPRISE_COLUMNS: [(&str, &str); 17] = [
    ("name", "企业名称"),
    ("uscc", "统一社会信用代码"),
    ("uscc_override", "校验位例外"),
    ("region_code", "所属区划代码"),
    ("address", "地址"),
    ("sectors", "行业领域"),
    ("industry_code", "国民经济行业代码"),
    ("departments", "监管部门"),
    ("above_scale", "规模以上"),
    ("is_key", "重点企业"),
    ("legal_rep", "法定代表人"),
    ("legal_rep_phone", "法定代表人电话"),
    ("principal", "主要负责人"),
    ("principal_phone", "主要负责人电话"),
    ("principal_id_no", "主要负责人身份证号"),
    ("status", "经营状态"),
    ("risk_grade", "风险等级"),
];

pub(super) fn field_label(f: &str) -> &str {
    let key = match f {
        "sector" => "sectors",
        "department_ids" => "departments",
        other => other,
    };
    ENTERPRISE_COLUMNS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, l)| *l)
        .unwrap_or(f)
}

pub(super) fn yes_no(s: &str) -> std::result::Result<bool, String> {
    match s.trim() {
        "" | "否" | "0" | "false" | "FALSE" | "N" | "n" | "no" => Ok(false),
        "是" | "1" | "true" | "TRUE" | "Y" | "y" | "yes" => Ok(true),
        other => Err(format!("应填“是”或“否”，实为“{other}”")),
    }
}

fn split_list(s: &str) -> Vec<String> {
    s.split(['、', ',', '，', ';', '；', '|'])
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
        .collect()
}

/// The columns an enterprise import reads, with the other headers accepted for each.
pub static ENTERPRISE_IMPORT: [Column; 17] = [
    Column::new(
        "name",
        "企业名称",
        &["单位名称", "企业（单位）名称", "生产经营单位名称"],
    )
    .required(),
    Column::new(
        "uscc",
        "统一社会信用代码",
        &["社会信用代码", "信用代码", "统一代码"],
    )
    .required()
    .code(Code::Uscc),
    Column::new("uscc_override", "校验位例外", &[]),
    Column::new(
        "region_code",
        "所属区划代码",
        &["区划代码", "所在区划代码", "行政区划代码"],
    )
    .required()
    .code(Code::Region),
    Column::new(
        "address",
        "地址",
        &["企业地址", "详细地址", "经营地址", "注册地址"],
    ),
    Column::new("sectors", "行业领域", &["sector", "行业", "监管行业"]).required(),
    Column::new("industry_code", "国民经济行业代码", &["行业代码"]),
    Column::new("departments", "监管部门", &["主管部门", "行业主管部门"]),
    Column::new(
        "above_scale",
        "规模以上",
        &["规上企业", "是否规上", "是否规模以上"],
    ),
    Column::new("is_key", "重点企业", &["是否重点企业"]),
    Column::new(
        "legal_rep",
        "法定代表人",
        &["法人代表", "法人", "法定代表人姓名"],
    ),
    Column::new(
        "legal_rep_phone",
        "法定代表人电话",
        &["法人代表电话", "法人电话", "法定代表人联系电话"],
    )
    .code(Code::Phone),
    Column::new("principal", "主要负责人", &["负责人", "主要负责人姓名"]),
    Column::new(
        "principal_phone",
        "主要负责人电话",
        &["负责人电话", "主要负责人联系电话"],
    )
    .code(Code::Phone),
    Column::new(
        "principal_id_no",
        "主要负责人身份证号",
        &[
            "负责人身份证号",
            "主要负责人身份证号码",
            "身份证号",
            "身份证号码",
        ],
    )
    .code(Code::IdNumber),
    Column::new("status", "经营状态", &["状态"]),
    Column::new("risk_grade", "风险等级", &[]),
];

/// Parses and validates every enterprise row, and plans what each valid row does (the
/// planner adds the refusals of scope and of a registered or unknown USCC); returns the
/// planned rows with their row numbers, and the errors.
pub(crate) fn validate_enterprise_table(
    app: &App,
    t: &Table,
    map: &Mapping,
    max_errors: usize,
    planner: &Planner<'_>,
) -> Result<(Vec<(usize, Planned)>, RowErrors)> {
    let regions: HashSet<String> = app.all_regions()?.into_iter().map(|r| r.code).collect();
    let sectors = app.store.list_sectors()?;
    let departments = app
        .store
        .list_departments(&Scope::system(), app.clock.today())?;
    // The first row of each USCC in the file.
    let mut usccs: HashMap<String, usize> = HashMap::new();
    let present = |k: &str| map.has(k);
    let today = app.clock.today();
    let get = |cells: &[String], k: &str| -> String { map.get(cells, k) };
    let opt = |v: String| if v.is_empty() { None } else { Some(v) };
    let mut ok = Vec::new();
    let mut bad = RowErrors::new(max_errors);
    for (rownum, cells) in map.rows(t) {
        let mut e = ValidationErrors::new();
        let mut sector_codes = Vec::new();
        for s in split_list(&get(cells, "sectors")) {
            match sectors.iter().find(|x| x.code == s || x.name == s) {
                Some(x) => sector_codes.push(x.code.clone()),
                None => e.add("sectors", format!("行业领域“{s}”不存在")),
            }
        }
        let mut dept_ids = Vec::new();
        for d in split_list(&get(cells, "departments")) {
            match departments.iter().find(|x| {
                x.name == d || x.short_name == d || x.id.to_string() == d || x.name.ends_with(&d)
            }) {
                Some(x) => dept_ids.push(x.id),
                None => e.add("departments", format!("监管部门“{d}”不存在")),
            }
        }
        let uscc_override = e
            .check("uscc_override", yes_no(&get(cells, "uscc_override")))
            .unwrap_or(false);
        let above_scale = e
            .check("above_scale", yes_no(&get(cells, "above_scale")))
            .unwrap_or(false);
        let is_key = e
            .check("is_key", yes_no(&get(cells, "is_key")))
            .unwrap_or(false);
        let risk = get(cells, "risk_grade");
        let risk = anjian_domain::enterprise::RISK_GRADES
            .iter()
            .find(|(k, l)| {
                *k == risk
                    || l.starts_with(&risk) && !risk.is_empty()
                    || l.contains(&format!("（{risk}）"))
            })
            .map(|(k, _)| k.to_string())
            .or(opt(risk));
        let input = EnterpriseInput {
            name: get(cells, "name"),
            uscc: get(cells, "uscc"),
            uscc_override,
            region_code: get(cells, "region_code"),
            address: get(cells, "address"),
            sector: None,
            sectors: sector_codes,
            industry_code: opt(get(cells, "industry_code")),
            department_ids: dept_ids,
            above_scale,
            is_key,
            legal_rep: opt(get(cells, "legal_rep")),
            legal_rep_phone: opt(get(cells, "legal_rep_phone")),
            principal: opt(get(cells, "principal")),
            principal_phone: opt(get(cells, "principal_phone")),
            principal_id_no: opt(get(cells, "principal_id_no")),
            status: opt(get(cells, "status")),
            risk_grade: risk,
            licences: vec![],
            lng: None,
            lat: None,
            version: None,
        };
        let v = match input.validate(today) {
            Ok(v) => Some(v),
            Err(errs) => {
                // Sector errors already reported above replace the generic "choose one".
                let mut errs = errs;
                if e.fields.contains_key("sectors") {
                    errs.fields.remove("sector");
                }
                e.merge(errs);
                None
            }
        };
        let mut planned = None;
        if let Some(v) = v {
            if !regions.contains(v.region_code.as_str()) {
                e.add("region_code", format!("所属区划 {} 不存在", v.region_code));
            }
            match usccs.get(&v.uscc) {
                Some(r) => e.add("uscc", format!("与第{r}行的统一社会信用代码重复")),
                None => {
                    usccs.insert(v.uscc.clone(), *rownum);
                }
            }
            if e.is_empty() {
                planned = planner.plan(v, &present, &mut e)?;
            }
        }
        let e = with_code_errors(e, map.code_errors(t, *rownum, cells));
        match (e.is_empty(), planned) {
            (true, Some(p)) => ok.push((*rownum, p)),
            _ => bad.push(*rownum, || row_error(*rownum, &e).errors),
        }
    }
    Ok((ok, bad))
}
