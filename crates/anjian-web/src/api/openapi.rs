//! The OpenAPI 3.1 description of the API, served at `/api/v1/openapi.json`.

use crate::AppState;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new().route("/openapi.json", get(|| async { Json(document()) }))
}

fn op(summary: &str, tag: &str, body: Option<&str>, ok: &str, params: Value) -> Value {
    let mut o = json!({
        "summary": summary,
        "tags": [tag],
        "parameters": params,
        "responses": {
            ok: {"description": "成功"},
            "401": {"$ref": "#/components/responses/Error"},
            "403": {"$ref": "#/components/responses/Error"},
            "404": {"$ref": "#/components/responses/Error"},
            "422": {"$ref": "#/components/responses/Error"}
        }
    });
    if let Some(schema) = body {
        o["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}});
    }
    o
}

fn q(name: &str, desc: &str, ty: &str) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": desc, "schema": {"type": ty}})
}

fn id() -> Value {
    json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}})
}

pub fn document() -> Value {
    let list_params = json!([
        q("region_code", "区划代码（12位；含下级）", "string"),
        q("sector", "行业领域代码", "string"),
        q("q", "名称、信用代码或地址关键词", "string"),
        q("status", "operating | suspended | closed", "string"),
        q("is_key", "重点企业", "boolean"),
        q("above_scale", "规模以上", "boolean"),
        q("department_id", "监管部门", "integer"),
        q("limit", "每页条数（1-500，默认50）", "integer"),
        q("after", "上一页返回的 next 游标", "string")
    ]);
    json!({
        "openapi": "3.1.0",
        "info": {"title": "anjian 安全生产综合监管平台 API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "除登录外的所有接口需 `Authorization: Bearer TOKEN`。错误统一为 {error, message, fields}，输入错误返回 4xx（校验失败 422）。"},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": {
            "/auth/login": {"post": {"summary": "登录，获取 API 令牌", "tags": ["auth"], "security": [],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Login"}}}},
                "responses": {"200": {"description": "令牌", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Token"}}}},
                              "401": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}}}},
            "/auth/logout": {"post": op("注销当前令牌", "auth", None, "204", json!([]))},
            "/version": {"get": {"summary": "服务名称与版本（无需登录）", "tags": ["auth"], "security": [],
                "responses": {"200": {"description": "名称与版本"}}}},
            "/me": {"get": op("当前用户及其数据范围", "auth", None, "200", json!([]))},
            "/regions": {
                "get": op("区划列表（本人范围内）", "organisation", None, "200", json!([q("under", "只列该区划及下级", "string"), q("level", "最低层级：province|city|county|township|village|grid", "string")])),
                "post": op("新增或更名区划（管理员）", "organisation", Some("RegionBatch"), "200", json!([]))
            },
            "/sectors": {"get": op("行业领域目录", "organisation", None, "200", json!([])), "post": op("新增或修改行业领域（管理员）", "organisation", Some("Sector"), "200", json!([]))},
            "/departments": {"get": op("部门列表", "organisation", None, "200", json!([])), "post": op("新增部门（管理员）", "organisation", Some("Department"), "201", json!([]))},
            "/departments/{id}": {"get": op("部门详情", "organisation", None, "200", json!([id()])), "put": op("修改部门（管理员）", "organisation", Some("Department"), "200", json!([id()]))},
            "/enterprises": {
                "get": op("企业列表（键集分页）", "enterprises", None, "200", list_params.clone()),
                "post": op("登记企业", "enterprises", Some("EnterpriseInput"), "201", json!([]))
            },
            "/enterprises/export": {"get": op("导出企业台账（xlsx|csv）", "enterprises", None, "200", {
                let mut p = list_params.as_array().cloned().unwrap_or_default();
                p.push(q("format", "xlsx | csv", "string"));
                Value::Array(p)
            })},
            "/enterprises/import": {"post": op("导入企业（multipart 字段 file，CSV/XLSX，列与企业台账导出相同）。mode=create（默认）：每行登记新企业，已登记的统一社会信用代码报错；mode=upsert：按统一社会信用代码匹配本人管辖范围内的企业并更新（与表单修改一样校验、核对版本并记入审计），其余行登记为新企业；mode=update：只更新，管辖范围内没有该代码的行报错。先逐行校验，有错行则 422 且不写入（skip_invalid=true 时写入正确行），全部写入或全部不写；报告 report.changes 列出新增、更新（字段、原值、新值）和未变的行。文件受导入上限约束，超限 413；未识别的列 422 import_unmapped_columns，ignore_columns=true 确认忽略", "enterprises", None, "200", json!([q("mode", "create | update | upsert", "string"), q("skip_invalid", "跳过错误行", "boolean"), q("ignore_columns", "确认忽略未识别的列", "boolean")]))},
            "/enterprises/{id}": {"get": op("企业详情", "enterprises", None, "200", json!([id()])), "put": op("修改企业（需 version）", "enterprises", Some("EnterpriseInput"), "200", json!([id()]))},
            "/enterprises/{id}/history": {"get": op("企业变更历史", "enterprises", None, "200", json!([id()]))},
            "/users": {"get": op("用户列表（管理员）", "users", None, "200", json!([])), "post": op("新增用户（管理员）", "users", Some("NewUser"), "201", json!([]))},
            "/users/{id}": {"get": op("用户详情", "users", None, "200", json!([id()])), "put": op("修改用户（管理员）", "users", Some("NewUser"), "200", json!([id()]))},
            "/users/{id}/password": {"post": op("重置或修改密码", "users", Some("Password"), "204", json!([id()]))},
            "/users/{id}/revoke-tokens": {"post": op("吊销该用户的全部会话与令牌", "users", None, "200", json!([id()]))},
            "/audit": {"get": op("审计日志（管理员）", "audit", None, "200", json!([q("entity", "对象类型", "string"), q("entity_id", "对象编号", "string"), q("actor", "操作人", "string"), q("action", "操作（前缀）", "string"), q("from", "起始日期 YYYY-MM-DD", "string"), q("to", "截止日期 YYYY-MM-DD", "string"), q("before", "游标", "integer"), q("limit", "条数", "integer")]))},
            "/audit/verify": {"get": op("校验审计哈希链", "audit", None, "200", json!([]))},
            "/audit/export": {"get": op("导出审计日志（管理员；按日期范围与筛选条件，最早的在前，含哈希）", "audit", None, "200", json!([q("from", "起始日期 YYYY-MM-DD", "string"), q("to", "截止日期 YYYY-MM-DD", "string"), q("entity", "对象类型", "string"), q("entity_id", "对象编号", "string"), q("actor", "操作人", "string"), q("action", "操作（前缀）", "string"), q("format", "csv | xlsx（默认 csv）", "string")]))},
            "/users/{id}/sessions": {"get": op("该用户的有效登录会话与令牌（本人或管理员）", "users", None, "200", json!([id()]))},
            "/users/{id}/sessions/{session}/revoke": {"post": op("注销一个会话或令牌，立即生效", "users", None, "200", json!([id(), {"name": "session", "in": "path", "required": true, "schema": {"type": "integer"}}]))},
            "/openapi.json": {"get": {"summary": "本接口说明（OpenAPI 3.1）", "tags": ["meta"], "security": [], "responses": {"200": {"description": "OpenAPI 文档"}}}},
            "/hazards": {
                "get": op("隐患列表（键集分页）", "hazards", None, "200", json!([q("region_code", "区划（含下级）", "string"), q("sector", "行业领域", "string"), q("level", "general | major", "string"), q("status", "registered | ordered | rectifying | reported | closed", "string"), q("source", "隐患来源", "string"), q("overdue", "是否逾期", "boolean"), q("campaign", "专项行动", "string"), q("from", "发现日期起", "string"), q("to", "发现日期止", "string"), q("q", "关键词", "string"), q("limit", "条数", "integer"), q("after", "游标", "string")])),
                "post": op("登记隐患", "hazards", Some("HazardInput"), "201", json!([]))
            },
            "/hazards/export": {"get": op("导出隐患台账（xlsx|csv）", "hazards", None, "200", json!([q("format", "xlsx | csv", "string")]))},
            "/hazards/{id}": {"get": op("隐患详情（含办理过程 events 与当前可办理的 allowed_actions）", "hazards", None, "200", json!([id()]))},
            "/hazards/{id}/actions": {"post": op("办理隐患：order 责令整改、fix_on_site 当场整改、start 开始整改、report 报告整改完成、pass 复查合格销号、reject 复查不合格、extend 延期、note 记录进展", "hazards", Some("HazardAction"), "200", json!([id()]))},
            "/calendar/add-working-days": {"get": op("工作日推算（自次日起算）", "calendar", None, "200", json!([q("from", "YYYY-MM-DD", "string"), q("days", "天数", "integer")]))},
            "/calendar/add-calendar-days": {"get": op("自然日推算（末日遇节假日顺延）", "calendar", None, "200", json!([q("from", "YYYY-MM-DD", "string"), q("days", "天数", "integer")]))},
            "/hazards/{id}/attachments": {
                "get": op("隐患佐证材料列表", "hazards", None, "200", json!([id()])),
                "post": {"summary": "上传佐证材料（multipart/form-data，字段 file，可选 note；JPG/PNG/PDF/Word/Excel，10 MB 以内）", "tags": ["hazards"], "parameters": [id()],
                         "requestBody": {"required": true, "content": {"multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}, "note": {"type": "string"}}}}}},
                         "responses": {"201": {"description": "已上传（含 sha256）"}, "400": {"$ref": "#/components/responses/Error"}, "413": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}
            },
            "/attachments/{id}": {"get": op("下载佐证材料", "hazards", None, "200", json!([id()]))},
            "/todos": {"get": op("我的待办：待我办理、即将到期、已逾期、提醒", "todos", None, "200", json!([q("within", "到期提醒天数", "integer")]))},
            "/jobs/daily-reminders/run": {"post": op("立即执行今日提醒（每日一次，多实例安全）", "todos", None, "200", json!([]))},
            "/major-hazards": {"get": op("重大事故隐患清单（一单四制）", "major", None, "200", json!([q("state", "环节", "string"), q("open", "仅未销号", "boolean"), q("overdue", "仅逾期", "boolean"), q("year", "年度", "string")]))},
            "/major-hazards/{id}": {"get": op("清单事项（含台账、延期）", "major", None, "200", json!([id()]))},
            "/major-hazards/{id}/actions": {"post": op("办理：list 认定列入清单、downgrade 降为一般、assign 交办、start 五落实并整改、ledger 台账、request_extension/approve_extension/deny_extension 延期、request_closeout 申请销号、accept 验收销号、fail 退回", "major", Some("CaseAction"), "200", json!([id()]))},
            "/major-hazards/bulletins": {"get": op("通报列表", "major", None, "200", json!([])), "post": op("发布本期通报（每期一份）", "major", None, "200", json!([]))},
            "/major-hazards/bulletins/{id}": {"get": op("通报 Word 文件", "major", None, "200", json!([id()]))},
            "/listings": {"get": op("挂牌督办事项（按年度，含上年结转）", "listings", None, "200", json!([q("year", "年度", "integer")])), "post": op("提请挂牌督办", "listings", Some("ListingProposal"), "201", json!([]))},
            "/listings/figures": {"get": op("年度挂牌、摘牌（含结转）数", "listings", None, "200", json!([q("year", "年度", "integer")]))},
            "/listings/{id}": {"get": op("挂牌督办事项详情", "listings", None, "200", json!([id()]))},
            "/listings/{id}/actions": {"post": op("办理：approve、list、extend、request_delist、verify、reject、delist", "listings", Some("ListingStep"), "200", json!([id()]))},
            "/inspections": {"get": op("监督检查记录", "inspections", None, "200", json!([q("enterprise_id", "企业", "integer")])), "post": op("记录监督检查（执法检查至少两名检查人员）", "inspections", Some("Inspection"), "201", json!([]))},
            "/inspections/{id}": {"get": op("检查记录（含发现的问题）", "inspections", None, "200", json!([id()]))},
            "/inspections/{id}/record": {"get": op("现场检查记录（Word）", "inspections", None, "200", json!([id()]))},
            "/inspections/{id}/findings/{fid}/hazard": {"post": op("将发现的问题转为隐患", "inspections", None, "201", json!([id(), {"name": "fid", "in": "path", "required": true, "schema": {"type": "integer"}}]))},
            "/cases": {"get": op("行政处罚案件", "cases", None, "200", json!([q("procedure", "程序：simple 简易 | general 普通", "string"), q("status", "状态", "string")])), "post": op("立案（普通程序）或当场处罚（简易程序，限额内）", "cases", None, "201", json!([]))},
            "/cases/{id}": {"get": op("案件详情（含办理记录、法定时限）", "cases", None, "200", json!([id()]))},
            "/cases/{id}/actions": {"post": op("办理：investigate、notify、review 法制审核、decide、serve、execute、close 等", "cases", None, "200", json!([id()]))},
            "/documents": {"get": op("执法文书（可按所属记录筛选）", "documents", None, "200", json!([q("entity", "inspection | hazard | case", "string"), q("entity_id", "记录编号", "integer")])), "post": op("制发执法文书：按部门、文书种类、年度连续编号", "documents", None, "201", json!([]))},
            "/documents/{id}": {"get": op("文书详情", "documents", None, "200", json!([id()]))},
            "/documents/{id}/docx": {"get": op("文书 Word 文件", "documents", None, "200", json!([id()]))},
            "/documents/{id}/service": {"post": op("登记送达（一次）：served_on、served_to、method", "documents", None, "200", json!([id()]))},
            "/departments/{id}/document-prefix": {"put": op("设置部门文号前缀（管理员）", "documents", None, "200", json!([id()]))},
            "/draws": {"get": op("双随机抽查批次", "draws", None, "200", json!([])), "post": op("建立抽查批次：按类别从名录库建池、执法人员名录、回避关系，公布输入与种子承诺值", "draws", None, "201", json!([]))},
            "/draws/{id}": {"get": op("抽查批次（含输入、承诺值、抽取后揭示的种子、任务、公示期限）", "draws", None, "200", json!([id()]))},
            "/draws/{id}/draw": {"post": op("抽取（可带公开随机数 entropy；每批次一次）", "draws", None, "200", json!([id()]))},
            "/draws/{id}/publish": {"post": op("登记结果公示：published_on、published_where", "draws", None, "200", json!([id()]))},
            "/draws/{id}/actions": {"post": op("办理：draw（entropy）、publish（published_on、published_where）", "draws", None, "200", json!([id()]))},
            "/draws/{id}/verify": {"get": op("按公布的输入重新抽取并核对（match）", "draws", None, "200", json!([id()]))},
            "/draws/{id}/publicity": {"get": op("随机抽查结果公示（Word）", "draws", None, "200", json!([id()]))},
            "/inspector-conflicts": {"post": op("登记执法人员回避关系：user_id、enterprise_id、reason", "draws", None, "201", json!([]))},
            "/cases/export": {"get": op("行政处罚案件台账（Excel）", "cases", None, "200", json!([]))},
            "/documents/export": {"get": op("执法文书台账（Excel）", "documents", None, "200", json!([]))},
            "/draws/export": {"get": op("双随机抽查台账（Excel，每个任务一行）", "draws", None, "200", json!([]))},
            "/transfers": {"get": op("行刑衔接移送事项", "transfers", None, "200", json!([])), "post": op("提出移送报告（2名以上执法人员核实）", "transfers", None, "201", json!([]))},
            "/transfers/{id}": {"get": op("移送事项（含法定时限）", "transfers", None, "200", json!([id()]))},
            "/transfers/{id}/actions": {"post": op("办理：approve、reject（须理由）、transfer（须先制发移送书；公安机关、抄送检察院）、police_limit（延长立案审查期限）、police_filed、police_not_filed、reconsider（提请复议）、supervise（建议立案监督）", "transfers", None, "200", json!([id()]))},
            "/publicity/decisions": {"get": op("处罚决定公示情况（含期限与逾期）", "transfers", None, "200", json!([]))},
            "/cases/{id}/publicity": {"post": op("登记处罚决定公示：published_on、channel、url", "transfers", None, "201", json!([id()]))},
            "/cases/{id}/publicity/withdraw": {"post": op("撤下公示：withdrawn_on、reason", "transfers", None, "200", json!([id()]))},
            "/reports": {"get": op("举报事项", "reports", None, "200", json!([])), "post": op("受理举报（实名须姓名、电话；匿名不兑现奖励）", "reports", None, "201", json!([]))},
            "/reports/{id}": {"get": op("举报事项详情", "reports", None, "200", json!([id()]))},
            "/reports/{id}/actions": {"post": op("办理：assign 交办、verify 核查（可登记隐患、关联案件）、reward 按规则计算并批准奖励、pay 发放", "reports", None, "200", json!([id()]))},
            "/reward-rule": {"get": op("举报奖励规则", "reports", None, "200", json!([])), "put": op("修改举报奖励规则（管理员）", "reports", None, "200", json!([]))},
            "/commissions": {"get": op("委托执法协议", "commissions", None, "200", json!([])), "post": op("登记委托执法协议（管理员）：受委托乡镇、委托机关、事项及罚款上限、有效期", "commissions", None, "201", json!([]))},
            "/commissions/figures": {"get": op("受委托办理的简易程序案件数（按委托机关、事项）", "commissions", None, "200", json!([]))},
            "/plans": {"get": op("年度执法计划", "plans", None, "200", json!([q("year", "年度", "integer")])), "post": op("编制或修改（草稿）年度执法计划：按行业领域、企业类别、月份的计划检查数，重点企业，随机抽查比例", "plans", None, "200", json!([]))},
            "/plans/{id}": {"get": op("计划及执行进度（按月计划数与实际检查数、随机抽查占比、重点企业覆盖）", "plans", None, "200", json!([id()]))},
            "/plans/{id}/approve": {"post": op("登记政府批准（管理员）：version、approved_by、approved_on、doc_no", "plans", None, "200", json!([id()]))},
            "/plans/{id}/actions": {"post": op("办理：revise（title、lines、key_enterprise_ids、random_share_percent、version）、approve（version、approved_by、approved_on、doc_no）", "plans", None, "200", json!([id()]))},
            "/cases/{id}/record": {"get": op("执法全过程记录：每个环节、文书、佐证材料及其审计链位置（seq、hash）", "cases", None, "200", json!([id()]))},
            "/transfers/export": {"get": op("行刑衔接台账（Excel）", "transfers", None, "200", json!([]))},
            "/reports/export": {"get": op("举报奖励台账（Excel，不含举报人电话）", "reports", None, "200", json!([]))},
            "/commissions/export": {"get": op("委托执法台账（Excel）", "commissions", None, "200", json!([]))},
            "/metrics": {"get": op("指标目录：代码、名称、单位、口径", "statistics", None, "200", json!([]))},
            "/metrics/values": {"get": op("各指标在统计期间、统计范围内的数值（ids=逗号分隔的指标代码，可选）", "statistics", None, "200", json!([q("period", "统计期间：2022 | 2022-H1 | 2022-Q3 | 2022-05 | 2022-01-01..2022-06-30（默认本年）", "string"), q("region", "乡镇区划代码", "string"), q("department", "部门编号", "integer"), q("sector", "行业领域", "string"), q("campaign", "专项行动代码", "string"), q("agency", "委托机关", "string")]))},
            "/metrics/values/export": {"get": op("指标统计表（Excel）", "statistics", None, "200", json!([q("period", "统计期间：2022 | 2022-H1 | 2022-Q3 | 2022-05 | 2022-01-01..2022-06-30（默认本年）", "string"), q("region", "乡镇区划代码", "string"), q("department", "部门编号", "integer"), q("sector", "行业领域", "string"), q("campaign", "专项行动代码", "string"), q("agency", "委托机关", "string")]))},
            "/metrics/{id}": {"get": op("指标数值及计入的全部记录（明细合计等于数值）", "statistics", None, "200", json!([{"name": "id", "in": "path", "required": true, "description": "指标代码，如 hazards.found", "schema": {"type": "string"}}, q("period", "统计期间：2022 | 2022-H1 | 2022-Q3 | 2022-05 | 2022-01-01..2022-06-30（默认本年）", "string"), q("region", "乡镇区划代码", "string"), q("department", "部门编号", "integer"), q("sector", "行业领域", "string"), q("campaign", "专项行动代码", "string"), q("agency", "委托机关", "string")]))},
            "/metrics/{id}/export": {"get": op("指标明细（Excel）", "statistics", None, "200", json!([{"name": "id", "in": "path", "required": true, "description": "指标代码，如 hazards.found", "schema": {"type": "string"}}, q("period", "统计期间：2022 | 2022-H1 | 2022-Q3 | 2022-05 | 2022-01-01..2022-06-30（默认本年）", "string"), q("region", "乡镇区划代码", "string"), q("department", "部门编号", "integer"), q("sector", "行业领域", "string"), q("campaign", "专项行动代码", "string"), q("agency", "委托机关", "string")]))},
            "/statistics/report": {"get": op("统计报告（format=json|md|docx；period 同上）：每个数字链接到其明细", "statistics", None, "200", json!([q("period", "统计期间", "string"), q("format", "json | md | docx", "string")]))},
            "/statistics/report-template": {"get": op("报告模板（minijinja 文本，数字写作 m(\"指标代码\", 维度…)）", "statistics", None, "200", json!([])), "put": op("修改报告模板（管理员；先试算，有误则 422 且不保存）：{template}", "statistics", None, "200", json!([]))},
            "/campaigns": {"get": op("专项行动", "statistics", None, "200", json!([])), "post": op("登记专项行动（管理员）：code、name、starts_on、ends_on、units、description", "statistics", None, "201", json!([]))},
            "/work-items": {"get": op("工作事项目录（可计数的现场工作：名称、单位、行业领域、分类）", "statistics", None, "200", json!([]))},
            "/work-items/{code}": {"put": op("新增或修改工作事项（管理员；已有记录的事项不能改单位）", "statistics", None, "200", json!([{"name": "code", "in": "path", "required": true, "schema": {"type": "string"}}]))},
            "/work-records": {"get": op("工作记录（键集分页）", "statistics", None, "200", json!([q("item_code", "工作事项", "string"), q("region_code", "区划", "string"), q("campaign", "专项行动", "string"), q("from", "起始日期", "string"), q("to", "截止日期", "string"), q("after", "游标", "integer"), q("limit", "条数", "integer")])), "post": op("登记工作记录：item_code、region_code、done_on、quantity、campaign、place、note", "statistics", None, "201", json!([]))},
            "/work-records/{id}": {"get": op("工作记录", "statistics", None, "200", json!([id()]))},
            "/ranking": {"get": op("一月一调度、一季一排名：各乡镇或部门的比数量、比增量、比质量得分及构成（period=2022-05 或 2022-Q3，默认本季度；by=township|department）", "statistics", None, "200", json!([q("period", "月或季度", "string"), q("by", "township | department", "string")]))},
            "/ranking/export": {"get": op("排名表（Excel）", "statistics", None, "200", json!([q("period", "月或季度", "string"), q("by", "township | department", "string")]))},
            "/hazards/import": {"post": op("导入隐患（multipart 字段 file，CSV/XLSX；列：所在区划代码、行业领域、隐患等级、隐患来源、隐患描述、发现日期、整改期限、企业统一社会信用代码、隐患部位、整改责任单位、整改责任人、整改措施、整改资金（元）、专项行动；逐行按登记规则校验，有错行则 422 列出行号且不写入；skip_invalid=true 时写入正确行；文件受导入上限约束（import_max_rows、import_max_columns、import_max_cell_chars、import_max_unzipped_mb），超限 413；未识别的列 422 import_unmapped_columns，ignore_columns=true 确认忽略；错误行最多列出 import_max_errors 行，其余计数）", "hazards", None, "200", json!([q("skip_invalid", "跳过错误行", "boolean"), q("ignore_columns", "确认忽略未识别的列", "boolean")]))},
            "/ranking-rule": {"get": op("排名规则：三项分值、数量指标及权重、质量比率", "statistics", None, "200", json!([])), "put": op("修改排名规则（管理员）", "statistics", None, "200", json!([]))},
            "/work-records/export": {"get": op("工作记录台账（Excel，可编辑后再导入）", "statistics", None, "200", json!([]))},
            "/work-records/import": {"post": op("导入工作记录（multipart 字段 file，CSV/XLSX；先逐行校验，有错行则 422 并列出行号、不写入；skip_invalid=true 时写入正确行；文件受导入上限约束（import_max_rows、import_max_columns、import_max_cell_chars、import_max_unzipped_mb），超限 413；未识别的列 422 import_unmapped_columns，ignore_columns=true 确认忽略；错误行最多列出 import_max_errors 行，其余计数）", "statistics", None, "200", json!([q("skip_invalid", "跳过错误行", "boolean"), q("ignore_columns", "确认忽略未识别的列", "boolean")]))},
            "/plans/export": {"get": op("执法计划执行台账（Excel，每个计划每月一行）", "plans", None, "200", json!([]))},
            "/document-templates": {"get": op("执法文书模板（各文书种类的县级模板与可用占位符）", "documents", None, "200", json!([]))},
            "/document-templates/{doc_type}": {"put": op("修改文书模板（管理员；text 为空则恢复内置文本；占位符如 {当事人}、{违法事实}、{罚款}）", "documents", None, "200", json!([{"name": "doc_type", "in": "path", "required": true, "schema": {"type": "string"}}]))},
            "/checklist-templates": {"get": op("检查表模板", "inspections", None, "200", json!([q("sector", "行业领域", "string")])), "put": op("保存检查表模板（管理员）", "inspections", None, "200", json!([]))},
            "/rules/decision-period": {"get": op("处罚案件办案期限规则（按机关类别和施行日期）", "organisation", None, "200", json!([])), "put": op("修改办案期限规则（管理员）：rules[]（family、effective_from、source、base_days、head_cap_days、superior_cap_days）、families（部门编号→work_safety|default）", "organisation", None, "200", json!([]))},
            "/settings/{key}": {"put": op("修改系统设置（管理员；major_bulletin_cycle: half_month | month | week；draw_publicity_working_days、decision_publicity_working_days、hazard_review_working_days：工作日数；publish_simple_decisions: true | false，简易程序处罚决定是否公示；导入上限 import_max_rows、import_max_columns、import_max_cell_chars、import_max_unzipped_mb、import_max_errors）", "organisation", None, "200", json!([{"name": "key", "in": "path", "required": true, "schema": {"type": "string"}}]))},
            "/calendar/{year}": {
                "get": op("某年法定节假日与调休上班日", "calendar", None, "200", json!([{"name": "year", "in": "path", "required": true, "schema": {"type": "integer"}}])),
                "put": op("整体替换某年节假日（管理员）", "calendar", Some("CalendarYear"), "200", json!([{"name": "year", "in": "path", "required": true, "schema": {"type": "integer"}}]))
            }
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {"Error": {"description": "错误", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}},
            "schemas": {
                "Error": {"type": "object", "required": ["error", "message", "fields"], "properties": {
                    "error": {"type": "string", "description": "稳定的错误代码，如 validation_failed、not_found、unauthorized、forbidden、conflict、malformed_json"},
                    "message": {"type": "string"}, "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}}},
                "Login": {"type": "object", "required": ["username", "password"], "additionalProperties": false, "properties": {"username": {"type": "string"}, "password": {"type": "string"}}},
                "Token": {"type": "object", "properties": {"token": {"type": "string"}, "token_type": {"type": "string"}, "expires_at": {"type": "string"}, "user": {"type": "object"}}},
                "RegionBatch": {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": {"type": "object", "required": ["code", "name"], "properties": {"code": {"type": "string", "description": "12位统计用区划代码（网格15位）"}, "name": {"type": "string"}, "parent_code": {"type": "string"}}}}}},
                "Sector": {"type": "object", "required": ["code", "name"], "properties": {"code": {"type": "string"}, "name": {"type": "string"}, "description": {"type": "string"}, "sort_order": {"type": "integer"}, "active": {"type": "boolean"}}},
                "Department": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}, "short_name": {"type": "string"}, "region_code": {"type": "string"},
                    "is_member_unit": {"type": "boolean"}, "has_supervision_duty": {"type": "boolean"}, "is_industry_authority": {"type": "boolean"}, "sort_order": {"type": "integer"}, "version": {"type": "integer"},
                    "sectors": {"type": "array", "items": {"type": "object", "required": ["sector_code"], "properties": {"sector_code": {"type": "string"}, "decision_no": {"type": "string"}, "decided_on": {"type": "string", "format": "date"}, "note": {"type": "string"}}}}}},
                "EnterpriseInput": {"type": "object", "required": ["name", "uscc", "region_code"], "additionalProperties": false, "properties": {
                    "name": {"type": "string"}, "uscc": {"type": "string", "description": "统一社会信用代码（GB 32100 校验）"}, "uscc_override": {"type": "boolean", "description": "确认校验位例外（早期试点赋码）"},
                    "region_code": {"type": "string"}, "address": {"type": "string"}, "sector": {"type": "string"}, "sectors": {"type": "array", "items": {"type": "string"}},
                    "industry_code": {"type": "string", "description": "GB/T 4754 行业代码，如 C2661"}, "department_ids": {"type": "array", "items": {"type": "integer"}},
                    "above_scale": {"type": "boolean"}, "is_key": {"type": "boolean"}, "legal_rep": {"type": "string"}, "legal_rep_phone": {"type": "string"},
                    "principal": {"type": "string"}, "principal_phone": {"type": "string"}, "principal_id_no": {"type": "string", "description": "居民身份证号码（GB 11643 校验）"},
                    "status": {"type": "string", "enum": ["operating", "suspended", "closed"]}, "risk_grade": {"type": "string", "enum": ["red", "orange", "yellow", "blue"]},
                    "licences": {"type": "array", "items": {"type": "object", "required": ["kind", "number"], "properties": {"kind": {"type": "string"}, "number": {"type": "string"}, "issuer": {"type": "string"}, "valid_from": {"type": "string", "format": "date"}, "valid_to": {"type": "string", "format": "date"}}}},
                    "version": {"type": "integer", "description": "修改时须带上读取时的版本号"}}},
                "NewUser": {"type": "object", "required": ["username", "role"], "properties": {"username": {"type": "string"}, "display_name": {"type": "string"}, "role": {"type": "string", "enum": ["admin", "leader", "department", "inspector", "township", "enterprise", "supervisor"]},
                    "password": {"type": "string"}, "region_code": {"type": "string"}, "department_id": {"type": "integer"}, "enterprise_id": {"type": "integer"}, "phone": {"type": "string"}, "active": {"type": "boolean"}, "site_ids": {"type": "array", "items": {"type": "integer"}}}},
                "Password": {"type": "object", "required": ["password"], "properties": {"password": {"type": "string"}, "current_password": {"type": "string"}}},
                "HazardInput": {"type": "object", "required": ["region_code", "sector", "level", "source", "description", "found_on"], "additionalProperties": false, "properties": {
                    "enterprise_id": {"type": "integer"}, "region_code": {"type": "string"}, "sector": {"type": "string"}, "level": {"type": "string", "enum": ["general", "major"]},
                    "source": {"type": "string", "enum": ["inspection", "self_check", "public_report", "media", "transfer", "higher_assignment", "lower_report"]},
                    "description": {"type": "string"}, "found_on": {"type": "string", "format": "date"}, "deadline": {"type": "string", "format": "date"},
                    "deadline_days": {"type": "integer"}, "deadline_basis": {"type": "string", "enum": ["calendar_days", "working_days"]}, "location": {"type": "string"},
                    "department_id": {"type": "integer"}, "responsible_unit": {"type": "string"}, "responsible_person": {"type": "string"}, "measures": {"type": "string"},
                    "funds_planned": {"type": "integer", "description": "元"}, "emergency_plan": {"type": "string"}, "campaign": {"type": "string"}}},
                "HazardAction": {"type": "object", "required": ["action"], "additionalProperties": false, "properties": {
                    "action": {"type": "string", "enum": ["order", "fix_on_site", "start", "report", "pass", "reject", "extend", "note"]}, "version": {"type": "integer"}, "note": {"type": "string"},
                    "deadline": {"type": "string", "format": "date"}, "deadline_days": {"type": "integer"}, "deadline_basis": {"type": "string"},
                    "responsible_unit": {"type": "string"}, "responsible_person": {"type": "string"}, "measures": {"type": "string"}, "funds_planned": {"type": "integer"}, "funds_spent": {"type": "integer"}, "emergency_plan": {"type": "string"}}},
                "CaseAction": {"type": "object", "required": ["action"], "description": "各操作所需字段见 action 说明；缺少时返回 422 并指明字段", "additionalProperties": true},
                "ListingProposal": {"type": "object", "required": ["title", "deadline"], "properties": {"hazard_id": {"type": "integer"}, "title": {"type": "string"}, "responsible_unit": {"type": "string"}, "deadline": {"type": "string", "format": "date"}}},
                "ListingStep": {"type": "object", "required": ["action"], "properties": {"action": {"type": "string"}, "version": {"type": "integer"}, "note": {"type": "string"}, "doc_no": {"type": "string"}, "announced_on": {"type": "string", "format": "date"}, "channel": {"type": "string"}, "deadline": {"type": "string", "format": "date"}}},
                "Inspection": {"type": "object", "required": ["sector", "kind", "inspected_on", "inspectors"], "properties": {"enterprise_id": {"type": "integer"}, "region_code": {"type": "string"}, "site": {"type": "string"}, "sector": {"type": "string"}, "kind": {"type": "string", "enum": ["routine", "special", "random", "recheck", "joint"]}, "enforcement": {"type": "boolean"}, "inspected_on": {"type": "string", "format": "date"}, "inspectors": {"type": "array", "items": {"type": "string"}}, "template_id": {"type": "integer"}, "results": {"type": "array", "items": {"type": "object"}}, "findings": {"type": "array", "items": {"type": "string"}}, "summary": {"type": "string"}}},
                "CalendarYear": {"type": "object", "required": ["days"], "properties": {"days": {"type": "array", "items": {"type": "object", "required": ["date", "kind"], "properties": {"date": {"type": "string", "format": "date"}, "kind": {"type": "string", "enum": ["holiday", "workday"]}, "name": {"type": "string"}}}}}}
            }
        }
    })
}

#[cfg(test)]
mod tests {
    //! The hand-written document cannot drift from the routes: every API route is described,
    //! nothing undescribed is routed, and every `{name}` in a path is declared as a path
    //! parameter of each of its operations.

    use super::document;
    use std::collections::BTreeSet;

    fn routes(dir: &std::path::Path, out: &mut BTreeSet<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                routes(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                // The routes, not the tests (this one names `.route(` itself).
                let code = text.split("#[cfg(test)]").next().unwrap_or_default();
                for part in code.split(".route(").skip(1) {
                    let part = part.trim_start();
                    if let Some(rest) = part.strip_prefix('"')
                        && let Some(end) = rest.find('"')
                    {
                        out.insert(rest[..end].to_string());
                    }
                }
            }
        }
    }

    #[test]
    fn every_api_route_is_described_with_its_path_parameters() {
        let mut routed = BTreeSet::new();
        routes(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api"),
            &mut routed,
        );
        assert!(routed.len() > 100, "{routed:?}");
        let doc = document();
        let paths = doc["paths"].as_object().cloned().unwrap_or_default();
        let described: BTreeSet<String> = paths.keys().cloned().collect();
        let missing: Vec<_> = routed.difference(&described).collect();
        let extra: Vec<_> = described.difference(&routed).collect();
        assert!(
            missing.is_empty(),
            "routes not in the document: {missing:?}"
        );
        assert!(extra.is_empty(), "described but not routed: {extra:?}");
        let mut undeclared = Vec::new();
        for (path, item) in &paths {
            let names: Vec<&str> = path
                .split('/')
                .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
                .collect();
            for (method, op) in item.as_object().into_iter().flatten() {
                let declared: Vec<&str> = op["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|p| p["in"] == "path")
                    .filter_map(|p| p["name"].as_str())
                    .collect();
                for n in &names {
                    if !declared.contains(n) {
                        undeclared.push(format!("{method} {path}: {n}"));
                    }
                }
            }
        }
        assert!(
            undeclared.is_empty(),
            "path parameters not declared: {undeclared:?}"
        );
    }
}
