//! 教育培训: the training classes and 理论中心组学习 sessions of the period with their attendee
//! person-times, and the certificates (安全生产知识和管理能力考核合格证) of enterprises'
//! principals and safety managers in force at the period's end or expiring in it.

use super::*;

/// The sessions, in the period by their first day. Their place is the organiser's.
const SESSIONS: Source = Source {
    key: "training_sessions",
    from: "training_sessions t",
    entity: "training_session",
    id: "t.id",
    region: "t.region_code",
    county: Some("t.county_code"),
    sector: None,
    department: Some("t.unit_department_id"),
    enterprise: None,
    campaign: None,
    agency: None,
    label: "t.starts_on || ' ' || t.topic",
    dates_indexed: false,
};

/// The certificates, at their enterprise's place.
const CERTIFICATES: Source = Source {
    key: "training_certificates",
    from: "training_certificates t JOIN enterprises e ON e.id = t.enterprise_id",
    entity: "training_certificate",
    id: "t.id",
    region: "e.region_code",
    county: Some("t.county_code"),
    sector: None,
    department: None,
    enterprise: Some("t.enterprise_id"),
    campaign: None,
    agency: None,
    label: "e.name || ' ' || t.holder_name || ' ' || t.cert_no",
    dates_indexed: false,
};

pub(super) fn metrics() -> Vec<Metric> {
    use Agg::*;
    use When::*;
    vec![
        m(
            "training.classes",
            "宣传教育",
            "安全生产和应急管理培训班",
            "期",
            "期内开班的安全生产和应急管理培训班期数（按开班日期）",
            &SESSIONS,
            Day("t.starts_on"),
            "t.kind = 'class'",
            none(),
            Count,
            1,
        ),
        m(
            "training.attendance",
            "宣传教育",
            "培训人员",
            "人次",
            "期内开班的培训班登记的参训人次（同一人参加多期按多人次计）",
            &SESSIONS,
            Day("t.starts_on"),
            "t.kind = 'class'",
            none(),
            Sum("t.attendees"),
            1,
        ),
        m(
            "training.study_sessions",
            "宣传教育",
            "理论中心组学习安全生产内容",
            "次",
            "期内将安全生产重要论述和法律法规纳入理论中心组学习的次数",
            &SESSIONS,
            Day("t.starts_on"),
            "t.kind = 'study'",
            none(),
            Count,
            1,
        ),
        m(
            "certificates.valid",
            "宣传教育",
            "主要负责人和安全生产管理人员持有效合格证",
            "人",
            "期末仍在有效期内的安全生产知识和管理能力考核合格证数（发证日期不晚于期末、有效期至晚于期末）",
            &CERTIFICATES,
            OpenAt {
                since: "t.issued_on",
                closed: "t.expires_on",
            },
            "1 = 1",
            none(),
            Count,
            1,
        ),
        m(
            "certificates.expiring",
            "宣传教育",
            "合格证期内到期",
            "人",
            "有效期至落在期内的安全生产知识和管理能力考核合格证数（需复审或重新考核）",
            &CERTIFICATES,
            Day("t.expires_on"),
            "1 = 1",
            none(),
            Count,
            1,
        ),
    ]
}
