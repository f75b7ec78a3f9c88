//! The 20 accident classes of GB 6441-1986《企业职工伤亡事故分类》(§3.2 of the domain
//! reference), shared by the risk points (possible accident types of a hazard factor) and the
//! accident register.

coded! {
    /// 事故类别 (GB 6441-1986).
    AccidentType {
        /// 物体打击
        StruckByObject = "struck_by_object", "物体打击";
        /// 车辆伤害
        Vehicle = "vehicle", "车辆伤害";
        /// 机械伤害
        Machinery = "machinery", "机械伤害";
        /// 起重伤害
        Lifting = "lifting", "起重伤害";
        /// 触电
        ElectricShock = "electric_shock", "触电";
        /// 淹溺
        Drowning = "drowning", "淹溺";
        /// 灼烫
        Burn = "burn", "灼烫";
        /// 火灾
        Fire = "fire", "火灾";
        /// 高处坠落
        FallFromHeight = "fall_from_height", "高处坠落";
        /// 坍塌
        Collapse = "collapse", "坍塌";
        /// 冒顶片帮
        RoofFall = "roof_fall", "冒顶片帮";
        /// 透水
        WaterInrush = "water_inrush", "透水";
        /// 放炮
        Blasting = "blasting", "放炮";
        /// 火药爆炸
        ExplosiveBlast = "explosive_blast", "火药爆炸";
        /// 瓦斯爆炸
        GasExplosion = "gas_explosion", "瓦斯爆炸";
        /// 锅炉爆炸
        BoilerExplosion = "boiler_explosion", "锅炉爆炸";
        /// 容器爆炸
        VesselExplosion = "vessel_explosion", "容器爆炸";
        /// 其它爆炸
        OtherExplosion = "other_explosion", "其它爆炸" | "其他爆炸";
        /// 中毒和窒息
        Poisoning = "poisoning", "中毒和窒息" | "中毒窒息" | "中毒" | "窒息";
        /// 其它伤害
        OtherInjury = "other_injury", "其它伤害" | "其他伤害";
    }
}

impl AccidentType {
    /// Several types written in one cell or field, separated by 、，, ； or spaces; each
    /// word that is not a type is answered as the error.
    pub fn parse_list(s: &str) -> Result<Vec<AccidentType>, String> {
        let mut out = Vec::new();
        for w in s
            .split(|c: char| matches!(c, '、' | ',' | '，' | ';' | '；' | '/') || c.is_whitespace())
            .filter(|w| !w.is_empty())
        {
            match AccidentType::from_words(w) {
                Some(t) if !out.contains(&t) => out.push(t),
                Some(_) => {}
                None => return Err(format!("“{w}”不是GB 6441规定的事故类别")),
            }
        }
        Ok(out)
    }

    /// The codes joined by commas, as stored.
    pub fn join_codes(list: &[AccidentType]) -> String {
        list.iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The labels joined by 、, as shown.
    pub fn join_labels(list: &[AccidentType]) -> String {
        list.iter()
            .map(|t| t.label())
            .collect::<Vec<_>>()
            .join("、")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gb_6441_1986_has_twenty_classes() {
        assert_eq!(AccidentType::ALL.len(), 20);
        assert_eq!(
            AccidentType::from_words("其他爆炸"),
            Some(AccidentType::OtherExplosion)
        );
        assert_eq!(
            AccidentType::parse_list("火灾、其它爆炸，中毒和窒息 火灾"),
            Ok(vec![
                AccidentType::Fire,
                AccidentType::OtherExplosion,
                AccidentType::Poisoning
            ])
        );
        assert!(AccidentType::parse_list("火灾、地震").is_err());
        for t in AccidentType::ALL {
            assert_eq!(AccidentType::parse(t.as_str()), Some(*t));
        }
    }
}
