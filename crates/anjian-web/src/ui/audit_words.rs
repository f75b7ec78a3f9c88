//! The audit log in officials' words: record kinds, actions, field names and coded values
//! ("状态：待复查 → 已销号", not `status: reported → closed`). Codes stay visible only in
//! the filter and the export, where they are the search keys.

/// Record kinds (the `entity` of an entry).
pub const ENTITIES: [(&str, &str); 59] = [
    ("enterprise", "企业"),
    ("user", "用户"),
    ("department", "部门"),
    ("region", "区划"),
    ("sector", "行业领域"),
    ("setting", "系统设置"),
    ("hazard", "隐患"),
    ("inspection", "监督检查"),
    ("case", "行政处罚案件"),
    ("document", "执法文书"),
    ("draw", "双随机抽查"),
    ("transfer", "行刑衔接"),
    ("report", "举报"),
    ("commission", "委托执法"),
    ("plan", "执法计划"),
    ("listing", "挂牌督办"),
    ("campaign", "专项行动"),
    ("calendar", "工作日历"),
    ("work_record", "工作记录"),
    ("work_item_type", "工作事项"),
    ("checklist_template", "检查表"),
    ("leader", "县领导"),
    ("leader_assignment", "包片包线"),
    ("duty", "职责清单"),
    ("accountability", "约谈问责"),
    ("letter", "目标管理责任状"),
    ("capability", "乡村应急能力创建"),
    ("capability_item", "能力创建标准"),
    ("risk_point", "风险点"),
    ("assessment_rubric", "考核细则"),
    ("assessment", "考核"),
    ("assessment_unit", "考核单位"),
    ("assessment_objection", "考核复核申请"),
    ("disaster_event", "自然灾害过程"),
    ("disaster_round", "应急响应轮次"),
    ("disaster_figure", "乡镇转移安置数据"),
    ("accident", "事故"),
    ("enterprise_risk_grade", "企业风险等级"),
    ("risk_steering", "风险分级监管参数"),
    ("key_place", "重点地段"),
    ("station_assignment", "派驻安排"),
    ("station_visit", "驻点检查"),
    ("station_week", "驻点周小结"),
    ("station_spot_check", "派驻抽查"),
    ("station_rating", "派驻监督员月度评价"),
    ("campaign_object", "专项行动台账记录"),
    ("forest_season", "防火期"),
    ("forest_farm", "国有林场（农场）"),
    ("forest_patch", "山头地块"),
    ("forest_warden", "网格责任人"),
    ("forest_checkpoint", "防火检查站"),
    ("forest_checkpoint_log", "检查站登记"),
    ("forest_patrol", "巡护记录"),
    ("forest_duty", "防火值班"),
    ("forest_equipment", "森林防灭火装备"),
    ("forest_handover", "装备发放"),
    ("emergency_resource", "应急资源"),
    ("dispatch", "一键调度"),
    ("dispatch_channel", "通知渠道"),
];

/// What was done, by the last part of the action code (`hazard.order` → 责令整改).
const STEPS: [(&str, &str); 98] = [
    ("check", "检查"),
    ("escalate", "超时升级通知"),
    ("confirm", "确认"),
    ("rate", "评价"),
    ("link_hazard", "关联隐患"),
    ("create", "登记"),
    ("update", "修改"),
    ("save", "保存"),
    ("replace", "更新"),
    ("import", "导入"),
    ("load", "导入"),
    ("bulk_load", "批量导入"),
    ("login", "登录"),
    ("logout", "退出登录"),
    ("login_failed", "登录失败"),
    ("locked", "账号锁定"),
    ("revoke_all", "吊销全部会话与令牌"),
    ("revoke_session", "注销会话"),
    ("password", "设置密码"),
    ("uscc_override", "信用代码校验位例外"),
    ("status_by_case", "依处罚决定变更经营状态"),
    ("set", "修改设置"),
    ("order", "责令限期整改"),
    ("fix_on_site", "当场整改"),
    ("start", "开始整改"),
    ("report", "报告整改完成"),
    ("pass", "复查合格销号"),
    ("reject", "复查不合格"),
    ("extend", "延期"),
    ("note", "记录进展"),
    ("attach", "上传佐证材料"),
    ("issue", "制发"),
    ("serve", "送达"),
    ("prefix", "设置文号前缀"),
    ("commit", "公布种子承诺值"),
    ("conflict", "登记回避关系"),
    ("draw", "抽取"),
    ("publish", "公示"),
    ("approve", "批准"),
    ("list", "挂牌"),
    ("delist", "摘牌"),
    ("request_delist", "申请摘牌"),
    ("verify", "核查"),
    ("receive", "受理"),
    ("assign", "交办"),
    ("reward", "奖励"),
    ("pay", "兑付奖励"),
    ("transfer", "移送"),
    ("decide", "作出决定"),
    ("accept", "验收销号"),
    ("fail", "退回"),
    ("downgrade", "降为一般隐患"),
    ("ledger", "记录台账"),
    ("request_extension", "申请延期"),
    ("approve_extension", "批准延期"),
    ("deny_extension", "不予延期"),
    ("request_closeout", "申请销号"),
    ("bulletin", "通报"),
    ("investigate", "调查取证"),
    ("notify", "告知"),
    ("hearing", "听证"),
    ("review", "法制审核"),
    ("discuss", "集体讨论"),
    ("execute", "执行"),
    ("close", "结案"),
    ("publicity", "公示处罚决定"),
    ("publicity_withdraw", "撤回公示"),
    ("police_decide", "公安机关决定"),
    ("police_limit", "公安机关延长立案审查期限"),
    ("reconsider", "申请复议"),
    ("supervise", "提请立案监督"),
    ("closed_in_time", "按期销号"),
    ("not_due", "未到期"),
    ("overdue", "逾期"),
    ("annual", "年度报告模板"),
    ("commission", "委托"),
    ("withdraw", "撤回"),
    ("pause", "中止"),
    ("resume", "恢复"),
    ("end", "终止"),
    ("delete", "删除"),
    ("scan", "上传签订扫描件"),
    ("submit", "提交验收"),
    ("return", "退回修改"),
    ("score", "评分"),
    ("evidence", "上传佐证材料"),
    ("file", "申请复核"),
    ("answer", "答复"),
    ("edit", "修改"),
    ("assess", "风险评价"),
    ("retire", "注销"),
    ("supplement", "补报"),
    ("report_links", "登记报告时间"),
    ("flags", "认定谎报瞒报"),
    ("link_report", "关联举报"),
    ("override", "人工认定"),
    ("clear", "取消人工认定"),
    ("settings", "修改检查周期与抽取权重"),
];

/// Field names as the forms call them.
const FIELDS: [(&str, &str); 224] = [
    ("above_scale", "规模以上"),
    ("accepted_on", "受理日期"),
    ("accident_level", "事故等级"),
    ("account", "简要情况"),
    ("active", "启用"),
    ("address", "地址"),
    ("agency", "委托机关"),
    ("agreement_no", "协议编号"),
    ("anonymous", "匿名"),
    ("approved_by", "批准人"),
    ("approved_on", "批准日期"),
    ("basis", "依据文件"),
    ("body", "正文"),
    ("campaign", "专项行动"),
    ("case_id", "案件"),
    ("category", "类别"),
    ("cert_no", "执法证号"),
    ("cert_valid_until", "执法证有效期至"),
    ("channel", "渠道"),
    ("checked_at", "核定时间"),
    ("checked_by", "核定人"),
    ("checklist", "检查表"),
    ("closed_on", "销号日期"),
    ("code", "代码"),
    ("content", "内容"),
    ("content_type", "文件类型"),
    ("copied_on", "抄送日期"),
    ("copied_to", "抄送检察机关"),
    ("counterpart_key", "责任对象标识"),
    ("counterpart_kind", "责任对象类型"),
    ("counterpart_name", "责任对象"),
    ("county_code", "县级区划"),
    ("created_at", "登记时间"),
    ("created_by", "登记人"),
    ("crime_type", "涉嫌罪名"),
    ("days", "天数"),
    ("deadline", "整改期限"),
    ("deadline_basis", "期限起算"),
    ("deadline_rule", "期限依据"),
    ("decided_by", "决定人"),
    ("decided_on", "决定日期"),
    ("department_id", "部门"),
    ("department_ids", "监管部门"),
    ("description", "描述"),
    ("display_name", "姓名"),
    ("doc_kind", "文件类别"),
    ("doc_no", "文号"),
    ("doc_type", "文书种类"),
    ("drawn_on", "抽取日期"),
    ("emergency_plan", "应急预案"),
    ("end_on", "结束日期"),
    ("ended_at", "响应结束时间"),
    ("ends_on", "结束日期"),
    ("enforcement", "执法检查"),
    ("enterprise_id", "企业"),
    ("enterprise_name", "企业名称"),
    ("entity", "所属记录类型"),
    ("entity_id", "所属记录"),
    ("evacuated", "紧急避险转移（人）"),
    ("event_id", "灾害过程"),
    ("expires_at", "有效期至"),
    ("extension_days", "延长天数"),
    ("facts", "违法事实"),
    ("file_name", "文件名"),
    ("fine_fen", "罚款（元）"),
    ("found_on", "发现日期"),
    ("funds_planned", "计划资金（元）"),
    ("funds_spent", "实际投入（元）"),
    ("hazard_id", "隐患"),
    ("houses_damaged", "损坏房屋（间）"),
    ("id", "编号"),
    ("indicators", "责任指标"),
    ("industry_code", "行业代码"),
    ("inspected_on", "检查日期"),
    ("inspection_id", "监督检查"),
    ("inspectors", "检查人员"),
    ("is_key", "重点企业"),
    ("issued_by", "制发人"),
    ("issued_on", "制发日期"),
    ("issuer", "签订单位"),
    ("items", "自评项目"),
    ("kind", "类型"),
    ("leader_id", "领导"),
    ("legal_basis", "法律依据"),
    ("legal_rep", "法定代表人"),
    ("legal_rep_phone", "法定代表人电话"),
    ("level", "等级"),
    ("licences", "许可证照"),
    ("listed_on", "挂牌日期"),
    ("location", "部位"),
    ("loss_fen", "直接经济损失（元）"),
    ("measure", "处理措施"),
    ("measures", "整改措施"),
    ("name", "名称"),
    ("note", "说明"),
    ("officers", "执法人员"),
    ("outcome", "结果"),
    ("paid_on", "缴纳日期"),
    ("parent_code", "上级区划"),
    ("party_kind", "当事人类型"),
    ("party_name", "当事人"),
    ("person_count", "人数"),
    ("persons", "涉及人员"),
    ("phone", "电话"),
    ("place", "地点"),
    ("police_unit", "公安机关"),
    ("post", "职务"),
    ("principal", "主要负责人"),
    ("principal_id_no", "主要负责人身份证号"),
    ("principal_phone", "主要负责人电话"),
    ("procedure", "程序"),
    ("published_on", "公示日期"),
    ("published_where", "公示渠道"),
    ("reason", "理由"),
    ("refs", "关联记录"),
    ("region_code", "区划"),
    ("region_name", "区划名称"),
    ("relocated", "紧急转移安置（人）"),
    ("remarks", "验收意见"),
    ("reported_at", "报送时间"),
    ("reported_by", "报送人"),
    ("reported_on", "报告日期"),
    ("reporter_name", "举报人"),
    ("reporter_phone", "举报人电话"),
    ("response_level", "响应等级"),
    ("responsible_person", "整改责任人"),
    ("responsible_unit", "整改责任单位"),
    ("result", "结果"),
    ("return_reason", "退回理由"),
    ("reward_fen", "奖励（元）"),
    ("risk_grade", "风险等级"),
    ("role", "角色"),
    ("scan_id", "签订扫描件"),
    ("sector", "行业领域"),
    ("sectors", "行业领域"),
    ("served_on", "送达日期"),
    ("served_to", "受送达人"),
    ("service_method", "送达方式"),
    ("sha256", "文件摘要（SHA-256）"),
    ("short_name", "简称"),
    ("signed_on", "签订日期"),
    ("site", "检查场所"),
    ("site_ids", "驻守企业"),
    ("size", "大小（字节）"),
    ("sort_order", "排序"),
    ("source", "来源"),
    ("start_on", "开始日期"),
    ("started_at", "响应开始时间"),
    ("starts_on", "开始日期"),
    ("state", "环节"),
    ("status", "状态"),
    ("submitted_on", "提交验收日期"),
    ("summary", "检查情况"),
    ("target", "包保对象"),
    ("target_kind", "对象类别"),
    ("theme", "主题"),
    ("title", "标题"),
    ("token", "令牌（摘要）"),
    ("township_code", "所属乡镇"),
    ("transferred_on", "移送日期"),
    ("updated_at", "更新时间"),
    ("uploaded_at", "上传时间"),
    ("uploaded_by", "上传人"),
    ("uscc", "统一社会信用代码"),
    ("user_id", "登录账号"),
    ("username", "账号"),
    ("valid_from", "有效期起"),
    ("valid_to", "有效期止"),
    ("value", "取值"),
    ("version", "版本"),
    ("warning_level", "预警等级"),
    ("year", "年度"),
    ("activity", "作业活动或设备设施"),
    ("hazard_factor", "危险有害因素"),
    ("accident_types", "可能导致的事故类型"),
    ("control_level", "管控层级"),
    ("control_engineering", "工程技术措施"),
    ("control_management", "管理措施"),
    ("control_training", "培训教育措施"),
    ("control_ppe", "个体防护措施"),
    ("control_emergency", "应急处置措施"),
    ("responsible_name", "责任人"),
    ("responsible_phone", "责任人电话"),
    ("grade", "风险等级"),
    ("retire_reason", "注销原因"),
    ("retired_at", "注销时间"),
    ("pending_assessment_id", "待审核的评价"),
    ("accepted_assessment_id", "确认的评价"),
    ("method", "评价方法"),
    ("score", "分值"),
    ("assessed_grade", "评价等级"),
    ("assessment_reason", "评价原因"),
    ("assessment_status", "评价状态"),
    ("accountability_ids", "关联问责记录"),
    ("case_ids", "关联案件"),
    ("changed_on", "变化日期"),
    ("concealed", "瞒报"),
    ("concealed_reason", "瞒报认定理由"),
    ("counted", "计入统计"),
    ("county_reported_at", "县级上报时间"),
    ("deaths", "死亡人数"),
    ("extended_due", "延长后的调查期限"),
    ("extension_reason", "延期理由"),
    ("false_report", "谎报"),
    ("false_report_reason", "谎报认定理由"),
    ("findings", "调查结论"),
    ("forest_area_centi_ha", "受害森林面积（0.01公顷）"),
    ("investigation_due", "调查期限"),
    ("minor_injuries", "轻伤人数"),
    ("missing", "失踪人数"),
    ("occurred_at", "发生时间"),
    ("occurred_on", "发生日期"),
    ("parties", "责任者及处理"),
    ("previous", "补报前数值"),
    ("report_id", "关联举报"),
    ("serious_injuries", "重伤人数"),
    ("type_code", "事故类型"),
    ("unit_reported_at", "单位报告时间"),
    ("cleared", "已取消"),
    ("rule", "企业风险等级确定规则"),
    ("escalate_at", "上调一级所需同级风险点数"),
    ("frequency_months", "检查周期（月）"),
    ("weights", "抽取权重"),
    ("ungraded_weight", "未定级企业抽取权重"),
];

/// Coded values that read as words wherever they appear.
const VALUES: [(&str, &str); 59] = [
    ("registered", "已登记"),
    ("ordered", "已责令整改"),
    ("rectifying", "整改中"),
    ("reported", "待复查"),
    ("closed", "已销号"),
    ("general", "一般"),
    ("major", "重大"),
    ("inspection", "监督检查"),
    ("self_check", "企业自查"),
    ("report", "举报"),
    ("operating", "正常经营"),
    ("suspended", "停产停业"),
    ("web", "网页"),
    ("api", "接口"),
    ("simple", "简易程序"),
    ("person", "个人"),
    ("organisation", "单位"),
    ("admin", "安委办管理员"),
    ("leader", "县领导"),
    ("department", "部门用户"),
    ("inspector", "执法人员"),
    ("township", "乡镇（街道）用户"),
    ("enterprise", "企业用户"),
    ("supervisor", "派驻监督员"),
    ("red", "重大风险（红）"),
    ("orange", "较大风险（橙）"),
    ("yellow", "一般风险（黄）"),
    ("blue", "低风险（蓝）"),
    ("direct", "直接送达"),
    ("mail", "邮寄送达"),
    ("calendar_days", "自然日"),
    ("working_days", "工作日"),
    ("submitted", "已提交"),
    ("approved", "已批准"),
    ("draft", "草稿"),
    ("returned", "已退回"),
    ("accepted", "已验收"),
    ("checked", "已核定"),
    ("cold_wave", "寒潮/低温雨雪冰冻"),
    ("heavy_rain", "强降雨/暴雨洪涝"),
    ("typhoon", "台风"),
    ("geological", "地质灾害"),
    ("drought", "干旱"),
    ("wind_hail", "大风冰雹"),
    ("large", "较大"),
    ("low", "低"),
    ("retired", "已注销"),
    ("pending", "待提交"),
    ("superseded", "已重新评价"),
    ("lec", "作业条件危险性评价法（LEC）"),
    ("ls", "风险矩阵法（LS）"),
    ("company", "公司级"),
    ("workshop", "车间级"),
    ("team", "班组级"),
    ("post", "岗位级"),
    ("extra_major", "特别重大"),
    ("production", "生产安全事故"),
    ("highest", "按最高风险点等级确定"),
    ("escalated", "同级风险点达到规定数量的上调一级"),
];

pub fn entity(e: &str) -> String {
    ENTITIES
        .iter()
        .find(|(k, _)| *k == e)
        .map_or_else(|| e.to_string(), |(_, l)| l.to_string())
}

/// Actions whose step reads differently for their record kind.
const EXACT: [(&str, &str); 6] = [
    ("capability.accept", "乡村应急能力创建：登记验收结果"),
    ("disaster_figure.report", "乡镇转移安置数据：报送"),
    ("disaster_figure.check", "乡镇转移安置数据：核定"),
    ("risk_point.submit", "风险点：提交审核"),
    ("risk_point.accept", "风险点：审核确认"),
    ("risk_point.return", "风险点：退回"),
];

/// "隐患：责令限期整改" for `hazard.order`.
pub fn action(a: &str) -> String {
    if let Some((_, words)) = EXACT.iter().find(|(k, _)| *k == a) {
        return words.to_string();
    }
    let (kind, step) = a.split_once('.').unwrap_or(("", a));
    let step_words = STEPS.iter().find(|(k, _)| *k == step).map(|(_, l)| *l);
    match (kind, step_words) {
        ("auth", Some(s)) => s.to_string(),
        ("", Some(s)) => s.to_string(),
        (k, Some(s)) => format!("{}：{s}", entity(k)),
        _ => a.to_string(),
    }
}

pub fn field(k: &str) -> String {
    FIELDS
        .iter()
        .find(|(key, _)| *key == k)
        .map_or_else(|| k.to_string(), |(_, l)| l.to_string())
}

/// A value as it reads: words for codes, 是/否, 元 for amounts kept in 分, local time for
/// UTC timestamps, a short prefix of digests and tokens.
pub fn value(key: &str, v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => if *b { "是" } else { "否" }.into(),
        Value::Number(n) if key.ends_with("_fen") => n
            .as_i64()
            .map(|f| format!("{}.{:02}", f / 100, (f % 100).abs()))
            .unwrap_or_else(|| n.to_string()),
        Value::String(s) if matches!(key, "token" | "sha256" | "secret" | "hash") => {
            format!("{}…", s.chars().take(12).collect::<String>())
        }
        Value::String(s)
            if s.len() >= 20 && s.ends_with('Z') && s.as_bytes().get(10) == Some(&b'T') =>
        {
            anjian_app::auth::local_time(s)
        }
        Value::String(s) => VALUES
            .iter()
            .find(|(k, _)| *k == s)
            .map_or_else(|| s.clone(), |(_, l)| l.to_string()),
        // An inspection's officers: "杨帆（执法证号 赣…）、…".
        Value::Array(a) if key == "officers" && a.iter().all(|x| x["name"].is_string()) => a
            .iter()
            .map(|o| match o["cert_no"].as_str() {
                Some(no) if !no.is_empty() => {
                    format!(
                        "{}（执法证号 {no}）",
                        o["name"].as_str().unwrap_or_default()
                    )
                }
                _ => o["name"].as_str().unwrap_or_default().to_string(),
            })
            .collect::<Vec<_>>()
            .join("、"),
        Value::Array(a) if a.iter().all(|x| x.is_string() || x.is_number()) => a
            .iter()
            .map(|x| value(key, x))
            .collect::<Vec<_>>()
            .join("、"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn entries_read_as_words() {
        assert_eq!(action("hazard.order"), "隐患：责令限期整改");
        assert_eq!(action("auth.login"), "登录");
        assert_eq!(action("case.publicity_withdraw"), "行政处罚案件：撤回公示");
        assert_eq!(field("funds_spent"), "实际投入（元）");
        assert_eq!(action("leader_assignment.end"), "包片包线：终止");
        assert_eq!(action("accountability.delete"), "约谈问责：删除");
        assert_eq!(
            action("capability.accept"),
            "乡村应急能力创建：登记验收结果"
        );
        assert_eq!(action("letter.scan"), "目标管理责任状：上传签订扫描件");
        assert_eq!(action("risk_point.accept"), "风险点：审核确认");
        assert_eq!(action("risk_point.assess"), "风险点：风险评价");
        assert_eq!(field("hazard_factor"), "危险有害因素");
        assert_eq!(value("status", &json!("reported")), "待复查");
        assert_eq!(value("fine_fen", &json!(15000)), "150.00");
        assert_eq!(value("active", &json!(true)), "是");
        assert_eq!(field("cert_no"), "执法证号");
        assert_eq!(
            value(
                "officers",
                &json!([{"id": 3, "name": "杨帆", "cert_no": "赣001", "cert_valid_until": "2026-12-31"}])
            ),
            "杨帆（执法证号 赣001）"
        );
        assert_eq!(
            value("updated_at", &json!("2022-06-01T01:30:00.000Z")),
            "2022-06-01 09:30"
        );
        assert_eq!(
            value("token", &json!("abcdef0123456789abcdef")),
            "abcdef012345…"
        );
    }
}
