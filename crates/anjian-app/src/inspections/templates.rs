//! Checklist templates per sector: the shipped ones, and the county's edits.

use super::*;

/// Default checklist items per sector: (sector, [(item, basis)]).
const DEFAULT_TEMPLATES: &[(&str, &[(&str, &str)])] = &[
    (
        "hazchem",
        &[
            (
                "安全生产许可证、危险化学品经营许可证在有效期内",
                "《危险化学品安全管理条例》",
            ),
            (
                "主要负责人和安全管理人员经考核合格",
                "《安全生产法》第二十七条",
            ),
            (
                "储罐区可燃有毒气体检测报警装置完好并投用",
                "化工重大隐患判定标准",
            ),
            ("特殊作业按规定办理作业票", "GB 30871"),
            (
                "重点监管工艺自动化控制和紧急停车系统投用",
                "化工重大隐患判定标准",
            ),
        ],
    ),
    (
        "fire",
        &[
            ("疏散通道、安全出口畅通", "《消防法》第二十八条"),
            ("消防设施器材完好有效", "《消防法》第十六条"),
            ("电动自行车未在楼道、室内充电", "地方规定"),
            ("消防控制室值班人员持证上岗", "GB 25506"),
        ],
    ),
    (
        "gas",
        &[
            ("餐饮场所安装可燃气体报警装置", "城镇燃气安全专项整治要求"),
            ("软管无老化、未超期使用", "GB 29550"),
            ("气瓶存放间通风良好", "GB 50028"),
        ],
    ),
    (
        "construction",
        &[
            ("深基坑按方案支护、临边防护到位", "建质规〔2022〕2号"),
            ("起重机械安全装置齐全有效", "建质规〔2022〕2号"),
            ("施工临时用电符合规范", "JGJ 46"),
            ("高处作业人员正确使用安全带", "JGJ 80"),
        ],
    ),
    (
        "industry_trade",
        &[
            ("粉尘涉爆区域电气设备防爆", "工贸重大隐患判定标准"),
            ("除尘系统锁气卸灰装置完好", "工贸重大隐患判定标准"),
            ("有限空间作业审批、检测、监护", "工贸重大隐患判定标准"),
            ("特种作业人员持证上岗", "《安全生产法》第三十条"),
        ],
    ),
    (
        "mines",
        &[
            ("采场边坡参数符合设计", "金属非金属矿山重大隐患判定标准"),
            (
                "尾矿库安全超高和干滩长度满足设计",
                "金属非金属矿山重大隐患判定标准",
            ),
            ("爆破器材存放管理规范", "《民用爆炸物品安全管理条例》"),
        ],
    ),
    (
        "fireworks",
        &[
            ("零售点存量不超过核定限量", "烟花爆竹经营许可实施办法"),
            ("仓储场所防静电、防雷设施完好", "烟花爆竹重大隐患判定标准"),
            ("店面与居住场所有效分隔", "烟花爆竹重大隐患判定标准"),
        ],
    ),
];

/// Inserts the default templates missing from the store.
pub fn ensure_templates(app: &App) -> Result<usize> {
    let existing = app.store.list_templates(None)?;
    let scope = Scope::system();
    let change = app.system_change(&scope, "system");
    let mut n = 0;
    for (sector, items) in DEFAULT_TEMPLATES {
        let name = "通用检查表";
        if existing
            .iter()
            .any(|t| t.sector == *sector && t.name == name)
        {
            continue;
        }
        if !app.store.list_sectors()?.iter().any(|s| s.code == *sector) {
            continue;
        }
        let json: Vec<serde_json::Value> =
            items.iter().enumerate().map(|(i, (text, basis))| serde_json::json!({"code": (i + 1).to_string(), "text": text, "basis": basis})).collect();
        app.store.save_template(
            &change,
            sector,
            name,
            &serde_json::Value::Array(json).to_string(),
        )?;
        n += 1;
    }
    Ok(n)
}

impl App {
    pub fn templates(&self, sector: Option<&str>) -> Result<Vec<Template>> {
        Ok(self.store.list_templates(sector)?)
    }

    /// Replaces a sector's template items (admin).
    pub fn save_template(
        &self,
        caller: &Caller,
        sector: &str,
        name: &str,
        items: &[(String, String)],
    ) -> Result<Template> {
        caller.require(anjian_domain::scope::Permission::ManageOrganisation)?;
        let mut e = ValidationErrors::new();
        if !self.store.list_sectors()?.iter().any(|s| s.code == sector) {
            e.add("sector", "行业领域不存在");
        }
        let name = required_text(&mut e, "name", "检查表名称", name, 60);
        if items.is_empty() {
            e.add("items", "检查表至少需要一项");
        }
        for (i, (text, _)) in items.iter().enumerate() {
            if text.trim().is_empty() {
                e.add(&format!("items[{i}].text"), "检查内容不能为空");
            }
        }
        e.into_result()?;
        let json: Vec<serde_json::Value> = items.iter().enumerate().map(|(i, (t, b))| serde_json::json!({"code": (i + 1).to_string(), "text": t.trim(), "basis": b.trim()})).collect();
        Ok(self.store.save_template(
            &caller.change(&Scope::system(), self),
            sector,
            &name,
            &serde_json::Value::Array(json).to_string(),
        )?)
    }
}
