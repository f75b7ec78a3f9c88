//! 事故类别 of GB 6441-1986《企业职工伤亡事故分类》: the 20 classes a production accident is
//! recorded under.

coded! {
    /// A GB 6441 accident class.
    AccidentType {
        ObjectStrike = "object_strike", "物体打击";
        Vehicle = "vehicle", "车辆伤害";
        Machinery = "machinery", "机械伤害";
        Lifting = "lifting", "起重伤害";
        Electrocution = "electrocution", "触电";
        Drowning = "drowning", "淹溺";
        Scald = "scald", "灼烫";
        Fire = "fire", "火灾";
        FallFromHeight = "fall_from_height", "高处坠落";
        Collapse = "collapse", "坍塌";
        RoofFall = "roof_fall", "冒顶片帮";
        WaterInrush = "water_inrush", "透水";
        Blasting = "blasting", "放炮";
        ExplosiveExplosion = "explosive_explosion", "火药爆炸";
        GasExplosion = "gas_explosion", "瓦斯爆炸";
        BoilerExplosion = "boiler_explosion", "锅炉爆炸";
        VesselExplosion = "vessel_explosion", "容器爆炸";
        OtherExplosion = "other_explosion", "其它爆炸" | "其他爆炸";
        Poisoning = "poisoning", "中毒和窒息" | "中毒" | "窒息";
        Other = "other", "其它伤害" | "其他伤害";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gb_6441_has_twenty_classes_that_read_back() {
        assert_eq!(AccidentType::ALL.len(), 20);
        for t in AccidentType::ALL {
            assert_eq!(AccidentType::parse(t.as_str()), Some(*t));
            assert_eq!(AccidentType::from_words(t.label()), Some(*t));
        }
        assert_eq!(
            AccidentType::from_words("其他爆炸"),
            Some(AccidentType::OtherExplosion)
        );
    }
}
