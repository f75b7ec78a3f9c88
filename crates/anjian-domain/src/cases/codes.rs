//! Two codes a case records beside its status: how the party's statement and hearing rights
//! ended without a hearing (行政处罚法 art. 64(8)), and how the decision was overturned
//! (art. 48). Each is stored as text (migration 0025's CHECK values, `''` when nothing
//! happened) and serialises as that code.

use serde::{Serialize, Serializer};

/// The party waived 陈述申辩 and the hearing, withdrew its hearing request, or did not
/// attend the hearing without good reason (art. 64(8)); `''` when none of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RightsWaived {
    #[default]
    NotWaived,
    Waived,
    Withdrawn,
    Absent,
}

pub const RIGHTS_WAIVED: [RightsWaived; 4] = [
    RightsWaived::NotWaived,
    RightsWaived::Waived,
    RightsWaived::Withdrawn,
    RightsWaived::Absent,
];

impl RightsWaived {
    pub fn as_str(self) -> &'static str {
        match self {
            RightsWaived::NotWaived => "",
            RightsWaived::Waived => "waived",
            RightsWaived::Withdrawn => "withdrawn",
            RightsWaived::Absent => "absent",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        RIGHTS_WAIVED.into_iter().find(|x| x.as_str() == s)
    }
    /// What the case page says; empty when the rights were not given up.
    pub fn label(self) -> &'static str {
        match self {
            RightsWaived::NotWaived => "",
            RightsWaived::Waived => "当事人放弃陈述申辩和听证",
            RightsWaived::Withdrawn => "当事人撤回听证申请",
            RightsWaived::Absent => "当事人无正当理由拒不出席听证，视为放弃听证权利",
        }
    }
    /// Whether the party gave the rights up, in one of the three ways.
    pub fn is_waived(self) -> bool {
        self != RightsWaived::NotWaived
    }
}

impl Serialize for RightsWaived {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// How a decision was overturned (art. 48); `''` while it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Overturn {
    #[default]
    NotOverturned,
    Changed,
    Revoked,
    Unlawful,
    Void,
}

/// The ways a decision is overturned, in the order the page offers them.
pub const OVERTURNS: [Overturn; 4] = [
    Overturn::Changed,
    Overturn::Revoked,
    Overturn::Unlawful,
    Overturn::Void,
];

impl Overturn {
    pub fn as_str(self) -> &'static str {
        match self {
            Overturn::NotOverturned => "",
            Overturn::Changed => "changed",
            Overturn::Revoked => "revoked",
            Overturn::Unlawful => "unlawful",
            Overturn::Void => "void",
        }
    }
    /// A stored code, `''` included.
    pub fn parse(s: &str) -> Option<Self> {
        if s.is_empty() {
            return Some(Overturn::NotOverturned);
        }
        OVERTURNS.into_iter().find(|x| x.as_str() == s)
    }
    /// An overturning step's kind: one of [`OVERTURNS`], never `''`.
    pub fn of_step(s: &str) -> Option<Self> {
        Self::parse(s).filter(|o| *o != Overturn::NotOverturned)
    }
    /// What the case page says; empty while the decision stands.
    pub fn label(self) -> &'static str {
        match self {
            Overturn::NotOverturned => "",
            Overturn::Changed => "依法变更",
            Overturn::Revoked => "依法撤销",
            Overturn::Unlawful => "确认违法",
            Overturn::Void => "确认无效",
        }
    }
}

impl Serialize for Overturn {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The schema of a code serialised as its text, `''` included.
fn code_schema(
    codes: impl IntoIterator<Item = &'static str>,
) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(codes))
        .into()
}

impl utoipa::PartialSchema for Overturn {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        code_schema(
            std::iter::once(Overturn::NotOverturned.as_str())
                .chain(OVERTURNS.map(Overturn::as_str)),
        )
    }
}

impl utoipa::ToSchema for Overturn {}

impl utoipa::PartialSchema for RightsWaived {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        code_schema(
            [
                RightsWaived::NotWaived,
                RightsWaived::Waived,
                RightsWaived::Withdrawn,
                RightsWaived::Absent,
            ]
            .map(RightsWaived::as_str),
        )
    }
}

impl utoipa::ToSchema for RightsWaived {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_codes_of_migration_0025_parse_and_serialise_as_themselves() {
        for code in ["", "waived", "withdrawn", "absent"] {
            let w = RightsWaived::parse(code).unwrap();
            assert_eq!(w.as_str(), code);
            assert_eq!(serde_json::to_value(w).unwrap(), serde_json::json!(code));
            assert_eq!(w.is_waived(), !code.is_empty());
        }
        for code in ["", "changed", "revoked", "unlawful", "void"] {
            let o = Overturn::parse(code).unwrap();
            assert_eq!(o.as_str(), code);
            assert_eq!(serde_json::to_value(o).unwrap(), serde_json::json!(code));
            assert_eq!(Overturn::of_step(code).is_some(), !code.is_empty());
        }
        assert_eq!(RightsWaived::parse("maybe"), None);
        assert_eq!(Overturn::parse("reversed"), None);
    }

    #[test]
    fn labels_name_what_happened_and_nothing_when_nothing_did() {
        assert_eq!(RightsWaived::NotWaived.label(), "");
        assert_eq!(RightsWaived::Withdrawn.label(), "当事人撤回听证申请");
        assert_eq!(Overturn::NotOverturned.label(), "");
        let labels: Vec<&str> = OVERTURNS.iter().map(|o| o.label()).collect();
        assert_eq!(labels, ["依法变更", "依法撤销", "确认违法", "确认无效"]);
    }
}
