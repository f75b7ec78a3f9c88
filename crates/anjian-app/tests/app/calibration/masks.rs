//! The source report's masks, in order, and how each one is read (see `main.rs`).

/// Counting units (量词) and measures after which a mask is a number.
pub const UNITS: [&str; 29] = [
    "个", "件", "处", "起", "家", "人", "次", "份", "元", "米", "方", "条", "座", "辆", "名", "户",
    "所", "场", "期", "台", "套", "项", "栋", "公斤", "轮", "架", "块", "册", "%",
];

/// One mask of the source report, in order.
pub enum Mask {
    /// A name (a city, a province, a township, a mining area, a congress): the source text
    /// around it.
    Name(&'static str),
    /// A figure: (source text around the mask, the generated report's words before the
    /// number, the metric and its dimensions, the words after the number).
    Figure(&'static str, &'static str, &'static str, &'static str),
}

use Mask::{Figure as F, Name as N};

/// The main campaign's dimension, and the 应急管理局's (`EMS` is its department id).
pub const C: &str = "campaign=bairi2022";

/// Every mask of the source report, in order (130: 104 figures, 26 names).
pub const MASKS: [Mask; 130] = [
    // 一（一）责任体系
    N("《**市安全生产包片包线"),
    N("《**市2022年度消防和森林防灭火工作考核"),
    F(
        "电子礼炮等**项新兴行业",
        "电子礼炮等",
        "org.new_industries",
        "项新兴行业",
    ),
    F(
        "与**个乡镇",
        "严格考核管理，与",
        "letters.townships",
        "个乡镇",
    ),
    F(
        "、**个市直部门",
        "个乡镇、",
        "letters.departments",
        "个市直部门",
    ),
    F(
        "和**家规模以上企业",
        "个市直部门和",
        "letters.enterprises",
        "家企业",
    ),
    // 一（二）监管执法: the 应急管理局's own figures, as the source states the 应急 system's.
    F(
        "全市**个负有安全生产监管职责的部门",
        "全市",
        "plans.departments",
        "个负有安全生产监管职责的部门",
    ),
    N("启用**省安全生产行政执法管理系统"),
    F(
        "下达各类行政执法文书****份",
        "下达各类行政执法文书",
        "documents.issued?department=EMS",
        "份",
    ),
    F(
        "办理行政处罚案件***件",
        "办理行政处罚案件",
        "cases.filed?department=EMS",
        "件",
    ),
    F(
        "一般程序**件",
        "一般程序",
        "cases.general?department=EMS",
        "件",
    ),
    F(
        "简易程序***件",
        "简易程序",
        "cases.simple?department=EMS",
        "件",
    ),
    // 一（三）百日攻坚: every department, during the campaign.
    F(
        "共发现安全隐患****处",
        "共发现安全隐患",
        "hazards.found_by_regulators?C",
        "处",
    ),
    F(
        "（其中：重大隐患**处）",
        "（其中：重大隐患",
        "hazards.found_major_by_regulators?C",
        "处",
    ),
    F(
        "整改事故隐患****处",
        "整改事故隐患",
        "hazards.closed?C",
        "处",
    ),
    F(
        "（其中整改重大隐患**处）",
        "（其中整改重大隐患",
        "hazards.closed_major?C",
        "处",
    ),
    F(
        "查纠各类违法行为****起",
        "查纠各类违法行为",
        "violations.found?C",
        "起",
    ),
    F("立案调查****起", "立案调查", "cases.investigated?C", "起"),
    F(
        "实施经济处罚***万元",
        "实施经济处罚",
        "cases.fines?C",
        "万元",
    ),
    F(
        "责令停产停业**家",
        "责令停产停业",
        "cases.stop_production?C",
        "家",
    ),
    F(
        "暂扣或吊销许可证照**个",
        "暂扣或吊销许可证照",
        "cases.licence?C",
        "个",
    ),
    F("取缔关闭*处", "取缔关闭", "cases.closure?C", "处"),
    F(
        "移送司法机关处理**人",
        "移送司法机关处理",
        "transfers.transferred?C",
        "人",
    ),
    F("落实举报奖励*起", "落实举报奖励", "rewards.paid?C", "起"),
    // 打非治违
    N("聚焦***金矿区域"),
    N("、**炭质板岩区域"),
    F(
        "制止盗采行为**起",
        "制止盗采行为",
        "campaign.dafei.thefts_stopped",
        "起",
    ),
    F(
        "遣散务工人员**人",
        "遣散务工人员",
        "campaign.dafei.workers_dispersed",
        "人",
    ),
    F(
        "拆除工棚*座",
        "拆除工棚",
        "campaign.dafei.sheds_removed",
        "座",
    ),
    F(
        "处置盗采机械设备**台",
        "处置盗采机械设备",
        "campaign.dafei.machines_disposed",
        "台",
    ),
    F(
        "关闭封堵废弃矿硐（矿坑）***个",
        "关闭封堵废弃矿硐（矿坑）",
        "campaign.dafei.adits_sealed",
        "个",
    ),
    // 自建房
    F(
        "共排查居民自建房*****栋",
        "共排查居民自建房",
        "campaign.zijianfang.surveyed",
        "栋",
    ),
    F(
        "其中经营性自建房****栋",
        "其中经营性自建房",
        "campaign.zijianfang.surveyed_commercial",
        "栋",
    ),
    F(
        "非经营性自建房*****栋",
        "非经营性自建房",
        "campaign.zijianfang.surveyed_residential",
        "栋",
    ),
    F(
        "鉴定和评估****栋",
        "鉴定和评估",
        "campaign.zijianfang.appraised_commercial",
        "栋",
    ),
    // 城镇燃气
    F(
        "开展燃气安全执法*次",
        "开展燃气安全执法",
        "campaign.ranqi.enforcement",
        "次",
    ),
    F(
        "督导检查*次",
        "督导检查",
        "campaign.ranqi.supervision",
        "次",
    ),
    F(
        "排查整治问题隐患**处",
        "排查整治问题隐患",
        "hazards.closed?sector=gas",
        "处",
    ),
    F(
        "安装燃气报警装置***家",
        "安装燃气报警装置",
        "campaign.ranqi.alarm_fitted",
        "家",
    ),
    // 一（四）重点领域: 交通运输
    F(
        "清理塌方**万方",
        "清理塌方",
        "work.landslide_cleared",
        "万方",
    ),
    F("波形护栏****米", "波形护栏", "work.guardrail_metres", "米"),
    F(
        "开展各类执法活动**次",
        "开展各类执法活动",
        "work.road_enforcement",
        "次",
    ),
    F(
        "查处道路交通重点违法行为****起",
        "查处道路交通重点违法行为",
        "work.road_violations",
        "起",
    ),
    // 消防
    F(
        "火灾隐患或违法行为****处",
        "火灾隐患或违法行为",
        "hazards.closed?sector=fire",
        "处",
    ),
    F(
        "责令“三停”**家",
        "责令“三停”",
        "work.fire_three_stops",
        "家",
    ),
    F(
        "整改重大火灾隐患**起",
        "整改重大火灾隐患",
        "hazards.closed_major?sector=fire",
        "起",
    ),
    // 非煤矿山
    F(
        "地下开采矿山企业*家",
        "地下开采矿山企业",
        "work.mine_closed",
        "家",
    ),
    F(
        "闭库销号*座",
        "闭库销号",
        "campaign.weikuangku.delisted",
        "座",
    ),
    F(
        "尾矿库闭库治理*座",
        "尾矿库闭库治理",
        "campaign.weikuangku.treated",
        "座",
    ),
    F(
        "完成了*座尾矿库在线监测",
        "，完成",
        "campaign.weikuangku.monitored",
        "座尾矿库在线监测",
    ),
    // 危险化学品
    F(
        "立案查处非法违法案件**起",
        "立案查处非法违法案件",
        "cases.investigated?sector=hazchem",
        "起",
    ),
    F(
        "移交非法销售成品油案*起",
        "移交涉嫌犯罪案件",
        "transfers.cases?sector=hazchem",
        "起",
    ),
    F(
        "上级交办隐患整改**条",
        "上级交办隐患整改",
        "hazards.closed_assigned?sector=hazchem",
        "条",
    ),
    F(
        "执法检查发现隐患整改**处",
        "执法检查发现隐患整改",
        "hazards.closed_inspection?sector=hazchem",
        "处",
    ),
    F(
        "责令停产停业*家",
        "责令停产停业",
        "cases.stop_production?sector=hazchem",
        "家",
    ),
    F(
        "查扣非法储存氢氧化钠****公斤",
        "查扣非法储存危险化学品",
        "work.caustic_seized",
        "公斤",
    ),
    // 烟花爆竹
    F(
        "对全市*家烟花爆竹生产企业",
        "对全市",
        "campaign.yanhua.producers_managed",
        "家烟花爆竹生产企业",
    ),
    F(
        "、***家零售经营网点",
        "家烟花爆竹生产企业、",
        "campaign.yanhua.outlets_managed",
        "家零售经营网点",
    ),
    F(
        "运输违法行为**起",
        "立案查处违法行为",
        "cases.investigated?sector=fireworks",
        "起",
    ),
    F(
        "整改隐患**条",
        "整改隐患",
        "hazards.closed?sector=fireworks",
        "条",
    ),
    // 建筑施工
    F(
        "检查施工项目**个",
        "检查施工项目",
        "work.projects_inspected",
        "个",
    ),
    F(
        "建筑工地***个/次",
        "建筑工地",
        "inspections.count?sector=construction",
        "个/次",
    ),
    F(
        "下达停工通知*份",
        "下达停工通知",
        "work.stop_work_notices",
        "份",
    ),
    F(
        "隐患整改通知***份",
        "隐患整改通知",
        "documents.rectification_orders?sector=construction",
        "份",
    ),
    F(
        "整改施工隐患***条",
        "整改施工隐患",
        "hazards.closed?sector=construction",
        "条",
    ),
    // 校园
    F("专用校车**台", "专用校车", "work.school_bus_tested", "台"),
    F(
        "接送学生的班车***台",
        "接送学生的班车",
        "work.shuttle_bus_tested",
        "台",
    ),
    N("、**市“九长”管理制度"),
    // 一（五）宣传教育
    F("先后*次将", "先后", "training.study_sessions", "次将"),
    N("新《**省安全生产条例》"),
    N("中央、省、**市各类安全生产工作视频会议"),
    F("视频会议**次", "视频会议", "work.video_conferences", "次"),
    F(
        "业务知识培训班*期",
        "业务知识培训班",
        "training.classes",
        "期",
    ),
    F("培训人员***人次", "培训人员", "training.attendance", "人次"),
    F("摆放展板**余块", "摆放展板", "work.boards", "块"),
    F(
        "法律法规汇编****余册",
        "法律法规汇编",
        "work.booklets",
        "册",
    ),
    F("宣传资料*万余份", "宣传资料", "work.leaflets", "万份"),
    F("播放宣传片*场", "播放宣传片", "work.films", "场"),
    // 一（六）基层基础
    N("建设活动，**等"),
    F(
        "等**个已验收达标乡镇",
        "乡村应急管理能力创建，",
        "capability.townships_accepted",
        "个乡镇通过验收达标",
    ),
    N("提升，**、"),
    N("、**、"),
    N("、**、"),
    N("、**、"),
    N("、** 5个乡镇"),
    F(
        "安全生产保障资金****万元",
        "安全生产保障资金",
        "work.safety_funds",
        "万元",
    ),
    F(
        "延伸到全市**个乡镇",
        "延伸到全市",
        "work.video_system.townships",
        "个乡镇",
    ),
    F("自然灾害*轮", "自然灾害", "disasters.responses", "轮"),
    F(
        "紧急避险转移人口****人",
        "紧急避险转移人口",
        "disasters.people_evacuated",
        "人",
    ),
    F(
        "紧急转移安置人口****人",
        "紧急转移安置人口",
        "disasters.people_relocated",
        "人",
    ),
    // 二、亮点工作（一）醇基燃料: two districts, by name.
    N("分片区对**和"),
    N("和**两个城区所有"),
    N("联合对**和"),
    N("和**两个城区餐饮"),
    // （二）派驻监督员
    N("在**大期间"),
    F("全市**个乡镇、", "全市", "station.townships", "个乡镇"),
    F(
        "、**个市直单位",
        "个乡镇、",
        "station.departments",
        "个市直单位",
    ),
    F("派驻监督员***人", "派驻监督员", "station.supervisors", "人"),
    F(
        "重点地段***家（处）",
        "重点地段",
        "station.sites",
        "家（处）",
    ),
    // （三）一单四制、挂牌督办
    N("省、**市部署要求"),
    N("3月份**省重大事故隐患"),
    F(
        "重大事故隐患**条（危化",
        "管理重大事故隐患",
        "hazards.found_major",
        "条（危化",
    ),
    F(
        "危化*条",
        "危化",
        "hazards.found_major?sector=hazchem",
        "条",
    ),
    F(
        "建筑施工*条",
        "建筑施工",
        "hazards.found_major?sector=construction",
        "条",
    ),
    F("消防**条", "消防", "hazards.found_major?sector=fire", "条"),
    F(
        "除*条重大火灾隐患未到整改期限",
        "除",
        "major.not_due",
        "条未到整改期限",
    ),
    F(
        "其余**条均在规定的时限内",
        "外，",
        "major.closed_in_time",
        "条在规定的时限内",
    ),
    F(
        "挂牌督办整改重大火灾隐患**起",
        "挂牌督办整改重大火灾隐患",
        "listings.listed?sector=fire",
        "起",
    ),
    F(
        "摘牌销案**起",
        "摘牌销案",
        "listings.delisted?sector=fire",
        "起",
    ),
    F(
        "2021年挂牌督办的*起",
        "以前年度挂牌督办的",
        "listings.delisted_carried?sector=fire",
        "起",
    ),
    // （四）委托执法
    F(
        "下放简易程序执法权限**项",
        "下放简易程序执法权限",
        "commissions.items",
        "项",
    ),
    F("交警**项", "交警", "commissions.items?agency=交警", "项"),
    F("农机**项", "农机", "commissions.items?agency=农机", "项"),
    F("运管**项", "运管", "commissions.items?agency=运管", "项"),
    F(
        "查处交通违法行为****余起",
        "委托执法查处交通违法行为",
        "commissions.cases",
        "起",
    ),
    F(
        "处理重点违法行为**起",
        "处理重点违法行为",
        "work.referred_violations",
        "起",
    ),
    F(
        "移交涉嫌刑事犯罪案*起",
        "移交涉嫌刑事犯罪案",
        "commissions.transfers",
        "起",
    ),
    // （五）森林防灭火
    N("《**市2022年度消防和森林防灭火工作考评"),
    F("投入资金***万元", "投入资金", "forest.funds", "万元"),
    F(
        "防火勘察无人机**架",
        "防火勘察无人机",
        "forest.drones",
        "架",
    ),
    F("高扬程消防水泵**台", "高扬程消防水泵", "forest.pumps", "台"),
    N("协调驻*国企"),
    F(
        "捐赠抽水泵***台",
        "捐赠抽水泵",
        "forest.donated_pumps",
        "台",
    ),
    F(
        "分别发放到**个乡镇",
        "分别发放到",
        "forest.equipment.townships",
        "个乡镇",
    ),
    F(
        "、*个国有林场",
        "个乡镇、",
        "forest.equipment.farms",
        "个国有林场",
    ),
    F(
        "频发多发的*个乡镇",
        "落实不力的",
        "accountability.townships.forest_fire",
        "个乡镇",
    ),
    F(
        "分管负责人*人次",
        "分管负责人",
        "accountability.interviewed.forest_fire",
        "人次",
    ),
    // 四、2023年工作思路
    N("省、**市安全生产决策部署"),
    N("确保省、**市部署"),
    N("《**省安全生产条例》和刑法"),
];
