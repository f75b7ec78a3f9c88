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

/// Parses and validates every enterprise row; returns the valid rows and the errors.
pub fn validate_enterprise_table(
    app: &App,
    t: &Table,
) -> Result<(Vec<anjian_domain::enterprise::NewEnterprise>, Vec<RowError>)> {
    let col = |k: &str| {
        let label = ENTERPRISE_COLUMNS
            .iter()
            .find(|(key, _)| *key == k)
            .map(|(_, l)| *l)
            .unwrap_or(k);
        let mut names = vec![k, label];
        if k == "sectors" {
            names.push("sector");
        }
        t.col(&names)
    };
    let required = ["name", "uscc", "region_code", "sectors"];
    let missing: Vec<&str> = required
        .iter()
        .filter(|k| col(k).is_none())
        .map(|k| field_label(k))
        .collect();
    if !missing.is_empty() {
        return Err(AppError::BadRequest(format!(
            "文件缺少必需的列：{}",
            missing.join("、")
        )));
    }
    let regions: HashSet<String> = app.all_regions()?.into_iter().map(|r| r.code).collect();
    let sectors = app.store.list_sectors()?;
    let departments = app.store.list_departments(&Scope::system())?;
    let mut usccs: HashMap<String, usize> = app
        .store
        .enterprise_usccs()?
        .into_keys()
        .map(|k| (k, 0))
        .collect();
    let today = app.clock.today();
    let idx: HashMap<&str, Option<usize>> = ENTERPRISE_COLUMNS
        .iter()
        .map(|(k, _)| (*k, col(k)))
        .collect();
    let get = |cells: &[String], k: &str| -> String {
        idx.get(k)
            .copied()
            .flatten()
            .and_then(|i| cells.get(i))
            .cloned()
            .unwrap_or_default()
    };
    let opt = |v: String| if v.is_empty() { None } else { Some(v) };
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for (rownum, cells) in &t.rows {
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
        if let Some(v) = &v {
            if !regions.contains(v.region_code.as_str()) {
                e.add("region_code", format!("所属区划 {} 不存在", v.region_code));
            }
            match usccs.get(&v.uscc) {
                Some(0) => e.add("uscc", "该统一社会信用代码已登记"),
                Some(r) => e.add("uscc", format!("与第{r}行的统一社会信用代码重复")),
                None => {}
            }
        }
        match (e.is_empty(), v) {
            (true, Some(v)) => {
                usccs.insert(v.uscc.clone(), *rownum);
                ok.push(v);
            }
            _ => bad.push(row_error(*rownum, &e)),
        }
    }
    Ok((ok, bad))
}
