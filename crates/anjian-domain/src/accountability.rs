//! Accountability where work fell short: 警示约谈 (the persons interviewed, each with post and
//! unit), 通报批评 and 问责 decisions (a township, a department, an enterprise or a person;
//! the measure, the deciding body), each with its theme (森林防灭火, 隐患治理, 生产安全事故 …)
//! and the records it refers to.

coded! {
    /// What was done.
    Kind {
        /// 警示约谈: the persons are interviewed.
        Interview = "interview", "警示约谈" | "约谈";
        /// 通报批评.
        Criticism = "criticism", "通报批评" | "通报";
        /// 问责 (诫勉、处分 …).
        Accountability = "accountability", "问责" | "问责处理";
    }
}

coded! {
    /// What the failure concerned (the report counts per theme).
    Theme {
        ForestFire = "forest_fire", "森林防灭火" | "森林防火";
        Hazards = "hazards", "隐患治理" | "隐患排查治理";
        Accident = "accident", "生产安全事故" | "事故";
        Other = "other", "其他";
    }
}

coded! {
    /// Whom the record concerns.
    TargetKind {
        Township = "township", "乡镇（街道）" | "乡镇" | "街道";
        Department = "department", "部门";
        Enterprise = "enterprise", "企业";
        Person = "person", "个人";
    }
}

coded! {
    /// What a linked record is.
    RefKind {
        Hazard = "hazard", "隐患";
        Accident = "accident", "事故";
        Assessment = "assessment", "考核";
        Other = "other", "其他";
    }
}

/// A person interviewed or held accountable.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Person {
    pub name: String,
    /// 职务, e.g. 镇长、分管副镇长.
    #[serde(default)]
    pub post: String,
    /// 单位, e.g. 临江镇人民政府.
    #[serde(default)]
    pub unit: String,
}

/// A record the decision refers to: a hazard by its number, an accident, an assessment or
/// anything else by its description.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Reference {
    pub kind: RefKind,
    /// The hazard's number, for a hazard.
    #[serde(default)]
    pub id: Option<i64>,
    #[serde(default)]
    pub text: String,
}

impl Person {
    /// "姓名/职务/单位", the form a ledger writes and an import reads.
    pub fn to_line(&self) -> String {
        format!("{}/{}/{}", self.name, self.post, self.unit)
    }

    /// Reads "姓名/职务/单位" (post and unit may be left out).
    pub fn from_line(s: &str) -> Option<Self> {
        let mut parts = s.split(['/', '／']).map(str::trim);
        let name = parts.next().filter(|n| !n.is_empty())?.to_string();
        Some(Self {
            name,
            post: parts.next().unwrap_or_default().to_string(),
            unit: parts.next().unwrap_or_default().to_string(),
        })
    }
}

/// Persons written "姓名/职务/单位；姓名/职务/单位" (the separators ；; and new lines).
pub fn persons_from_text(s: &str) -> Vec<Option<Person>> {
    s.split(['；', ';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(Person::from_line)
        .collect()
}

/// Persons as one line of text.
pub fn persons_to_text(p: &[Person]) -> String {
    p.iter().map(Person::to_line).collect::<Vec<_>>().join("；")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_labels_and_words_read_back() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(*k));
            assert_eq!(Kind::from_words(k.label()), Some(*k));
        }
        for t in Theme::ALL {
            assert_eq!(Theme::from_words(t.label()), Some(*t));
        }
        assert_eq!(TargetKind::from_words("乡镇"), Some(TargetKind::Township));
        assert_eq!(RefKind::from_words("隐患"), Some(RefKind::Hazard));
        assert_eq!(Theme::from_words("消防"), None);
    }

    #[test]
    fn persons_read_as_name_post_unit() {
        let p = persons_from_text("王强/镇长/临江镇人民政府；李红/分管副镇长");
        assert_eq!(p.len(), 2);
        let p: Vec<Person> = p.into_iter().flatten().collect();
        assert_eq!(p[1].post, "分管副镇长");
        assert_eq!(p[1].unit, "");
        assert_eq!(
            persons_to_text(&p),
            "王强/镇长/临江镇人民政府；李红/分管副镇长/"
        );
        assert_eq!(persons_from_text("/镇长/"), vec![None]);
    }
}
