//! The two assessment methods and their tables (domain reference §3.3, §3.4), shipped as data:
//! LEC (作业条件危险性评价法, D = L × E × C) and LS (风险矩阵法, R = L × S). Only a table's
//! values are accepted as inputs. Values are kept in tenths (0.5 is 5) and scores in
//! hundredths, so no rounding enters a grade.
//!
//! The cut-offs from score to grade are the county's (a setting, [`Cutoffs`]); the shipped
//! defaults are the usual four-level mappings: LEC D > 320 重大, > 160 较大, > 70 一般, else
//! 低; LS R ≥ 20 重大, ≥ 15 较大, ≥ 9 一般, else 低.

use crate::ValidationErrors;
use crate::risk_grade::Grade;

coded! {
    /// 评价方法.
    #[schema(as = RiskMethod)]
    Method {
        /// 作业条件危险性评价法 (D = L × E × C).
        Lec = "lec", "作业条件危险性评价法（LEC）" | "LEC" | "LEC法" | "作业条件危险性评价法" | "作业条件危险性分析法";
        /// 风险矩阵法 (R = L × S).
        Ls = "ls", "风险矩阵法（LS）" | "LS" | "LS法" | "风险矩阵法" | "风险矩阵分析法";
    }
}

/// One value of a method's table with its meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// The value in tenths (0.5 is 5, 10 is 100).
    pub tenths: i64,
    pub meaning: &'static str,
}

impl Choice {
    /// The value as written: 10, 0.5, 0.1.
    pub fn text(self) -> String {
        tenths_text(self.tenths)
    }
}

/// A value in tenths as written (no trailing zeros).
pub fn tenths_text(t: i64) -> String {
    if t % 10 == 0 {
        (t / 10).to_string()
    } else {
        format!("{}.{}", t / 10, (t % 10).abs())
    }
}

/// A score in hundredths as written: 108, 0.05, 2.5.
pub fn score_text(h: i64) -> String {
    let (i, f) = (h / 100, (h % 100).abs());
    match f {
        0 => i.to_string(),
        f if f % 10 == 0 => format!("{i}.{}", f / 10),
        f => format!("{i}.{f:02}"),
    }
}

/// One factor of a method: its input field, its name and its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Factor {
    /// The input's field name (`l`, `e`, `c`, `s`).
    pub field: &'static str,
    pub name: &'static str,
    pub choices: &'static [Choice],
}

const fn ch(tenths: i64, meaning: &'static str) -> Choice {
    Choice { tenths, meaning }
}

/// LEC's L: 事故发生的可能性.
pub const LEC_L: Factor = Factor {
    field: "l",
    name: "L（事故发生的可能性）",
    choices: &[
        ch(100, "完全可以预料"),
        ch(60, "相当可能"),
        ch(30, "可能，但不经常"),
        ch(10, "可能性小，完全意外"),
        ch(5, "很不可能，可以设想"),
        ch(2, "极不可能"),
        ch(1, "实际不可能"),
    ],
};

/// LEC's E: 暴露于危险环境的频繁程度.
pub const LEC_E: Factor = Factor {
    field: "e",
    name: "E（暴露于危险环境的频繁程度）",
    choices: &[
        ch(100, "连续暴露"),
        ch(60, "每天工作时间内暴露"),
        ch(30, "每周一次或偶然暴露"),
        ch(20, "每月一次暴露"),
        ch(10, "每年几次暴露"),
        ch(5, "非常罕见地暴露"),
    ],
};

/// LEC's C: 一旦发生事故可能造成的后果.
pub const LEC_C: Factor = Factor {
    field: "c",
    name: "C（发生事故可能造成的后果）",
    choices: &[
        ch(1000, "大灾难，许多人死亡（10人以上死亡）"),
        ch(400, "灾难，数人死亡（3～9人死亡）"),
        ch(150, "非常严重，一人死亡（1～2人死亡）"),
        ch(70, "严重，重伤"),
        ch(30, "重大，致残"),
        ch(10, "引人注目，需要救护"),
    ],
};

/// LS's L: 事故发生的可能性 (1–5).
pub const LS_L: Factor = Factor {
    field: "l",
    name: "L（事故发生的可能性）",
    choices: &[
        ch(50, "很可能（每年可能发生）"),
        ch(40, "可能（5年内可能发生）"),
        ch(30, "偶尔（10年内可能发生）"),
        ch(20, "不大可能（10年以上可能发生）"),
        ch(10, "基本不可能（50年以上才可能发生）"),
    ],
};

/// LS's S: 事故后果的严重程度 (1–5).
pub const LS_S: Factor = Factor {
    field: "s",
    name: "S（事故后果的严重程度）",
    choices: &[
        ch(50, "一人以上死亡或重大影响"),
        ch(40, "多人重伤"),
        ch(30, "一人重伤"),
        ch(20, "需要救护或多人轻伤"),
        ch(10, "一人轻伤"),
    ],
};

impl Method {
    /// The method's factors, in the order they multiply.
    pub fn factors(self) -> &'static [Factor] {
        match self {
            Method::Lec => &[LEC_L, LEC_E, LEC_C],
            Method::Ls => &[LS_L, LS_S],
        }
    }

    /// The score's letter: D or R.
    pub fn score_letter(self) -> &'static str {
        match self {
            Method::Lec => "D",
            Method::Ls => "R",
        }
    }
}

/// The county's cut-offs, highest grade first (重大, 较大, 一般; below the last is 低).
/// LEC: a score above the cut-off reaches the grade (D > 320). LS: a score at or above it
/// (R ≥ 20).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Cutoffs {
    pub lec: [i64; 3],
    pub ls: [i64; 3],
}

impl Default for Cutoffs {
    fn default() -> Self {
        Self {
            lec: [320, 160, 70],
            ls: [20, 15, 9],
        }
    }
}

impl Cutoffs {
    /// The grade of a score (in hundredths) by `method`.
    pub fn grade(&self, method: Method, score_x100: i64) -> Grade {
        let reaches = |cut: i64| match method {
            Method::Lec => score_x100 > cut * 100,
            Method::Ls => score_x100 >= cut * 100,
        };
        let cuts = match method {
            Method::Lec => self.lec,
            Method::Ls => self.ls,
        };
        if reaches(cuts[0]) {
            Grade::Major
        } else if reaches(cuts[1]) {
            Grade::Large
        } else if reaches(cuts[2]) {
            Grade::General
        } else {
            Grade::Low
        }
    }

    /// The cut-offs of one method as written ("320,160,70").
    pub fn text(&self, method: Method) -> String {
        let c = match method {
            Method::Lec => self.lec,
            Method::Ls => self.ls,
        };
        format!("{},{},{}", c[0], c[1], c[2])
    }

    /// Reads a method's three cut-offs from "320,160,70" (commas, 、 or spaces), checking that
    /// they are whole numbers, fall from 重大 to 一般 and lie within the method's range.
    pub fn parse(method: Method, s: &str) -> Result<[i64; 3], String> {
        let parts: Vec<&str> = s
            .split(|c: char| matches!(c, ',' | '，' | '、' | ';') || c.is_whitespace())
            .filter(|w| !w.is_empty())
            .collect();
        if parts.len() != 3 {
            return Err("请依次填写重大、较大、一般风险的三个分界值".into());
        }
        let mut out = [0i64; 3];
        for (i, p) in parts.iter().enumerate() {
            out[i] = p
                .parse::<i64>()
                .map_err(|_| format!("分界值“{p}”不是整数"))?;
        }
        let max = match method {
            Method::Lec => 100_000,
            Method::Ls => 25,
        };
        if out.iter().any(|v| *v < 1 || *v > max) {
            return Err(format!("分界值应在1至{max}之间"));
        }
        if !(out[0] > out[1] && out[1] > out[2]) {
            return Err("分界值应从重大到一般依次减小".into());
        }
        Ok(out)
    }
}

/// An assessment's inputs as given (values as numbers: 6, 0.5).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Inputs {
    pub l: Option<f64>,
    pub e: Option<f64>,
    pub c: Option<f64>,
    pub s: Option<f64>,
}

/// An assessment computed from valid inputs: the inputs in tenths, the score in hundredths
/// and the grade under the cut-offs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Evaluation {
    pub method: Method,
    pub l_x10: i64,
    pub e_x10: Option<i64>,
    pub c_x10: Option<i64>,
    pub s_x10: Option<i64>,
    pub score_x100: i64,
    pub grade: Grade,
}

/// The table value `v` stands for, or the message naming the factor and its allowed values.
fn pick(f: &Factor, v: Option<f64>) -> Result<i64, String> {
    let allowed = || {
        f.choices
            .iter()
            .map(|c| c.text())
            .collect::<Vec<_>>()
            .join("、")
    };
    let Some(v) = v else {
        return Err(format!("请选择{}", f.name));
    };
    f.choices
        .iter()
        .find(|c| ((c.tenths as f64) / 10.0 - v).abs() < 1e-9)
        .map(|c| c.tenths)
        .ok_or_else(|| format!("{}只能取{}之一", f.name, allowed()))
}

/// Evaluates the inputs by `method` under `cutoffs`; a value outside the method's table is
/// refused with its field named (`l`, `e`, `c`, `s`).
pub fn evaluate(
    method: Method,
    i: Inputs,
    cutoffs: &Cutoffs,
) -> Result<Evaluation, ValidationErrors> {
    let mut errs = ValidationErrors::new();
    let mut take = |f: &Factor, v: Option<f64>| match pick(f, v) {
        Ok(t) => Some(t),
        Err(m) => {
            errs.add(f.field, m);
            None
        }
    };
    let eval = match method {
        Method::Lec => {
            let (l, e, c) = (take(&LEC_L, i.l), take(&LEC_E, i.e), take(&LEC_C, i.c));
            match (l, e, c) {
                // tenths × tenths × tenths = thousandths; hundredths divide by 10 exactly,
                // since every C is a whole number (tenths ending in 0).
                (Some(l), Some(e), Some(c)) => Some(Evaluation {
                    method,
                    l_x10: l,
                    e_x10: Some(e),
                    c_x10: Some(c),
                    s_x10: None,
                    score_x100: l * e * c / 10,
                    grade: Grade::Low,
                }),
                _ => None,
            }
        }
        Method::Ls => {
            let (l, s) = (take(&LS_L, i.l), take(&LS_S, i.s));
            match (l, s) {
                (Some(l), Some(s)) => Some(Evaluation {
                    method,
                    l_x10: l,
                    e_x10: None,
                    c_x10: None,
                    s_x10: Some(s),
                    score_x100: l * s,
                    grade: Grade::Low,
                }),
                _ => None,
            }
        }
    };
    errs.into_result()?;
    let Some(mut ev) = eval else {
        return Err(ValidationErrors::single("method", "评价数据不完整"));
    };
    ev.grade = cutoffs.grade(method, ev.score_x100);
    Ok(ev)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lec(l: f64, e: f64, c: f64) -> Evaluation {
        let i = Inputs {
            l: Some(l),
            e: Some(e),
            c: Some(c),
            s: None,
        };
        evaluate(Method::Lec, i, &Cutoffs::default()).unwrap()
    }

    fn ls(l: f64, s: f64) -> Evaluation {
        let i = Inputs {
            l: Some(l),
            s: Some(s),
            ..Inputs::default()
        };
        evaluate(Method::Ls, i, &Cutoffs::default()).unwrap()
    }

    #[test]
    fn lec_cutoffs_d_above_320_160_70_on_both_sides() {
        let c = Cutoffs::default();
        let cases = [
            (32001, Grade::Major),
            (32000, Grade::Large),
            (16001, Grade::Large),
            (16000, Grade::General),
            (7001, Grade::General),
            (7000, Grade::Low),
            (2000, Grade::Low),
            (5, Grade::Low),
        ];
        for (d, want) in cases {
            assert_eq!(c.grade(Method::Lec, d), want, "D = {}", score_text(d));
        }
    }

    #[test]
    fn lec_worked_examples_of_the_reference() {
        // Punching press without guards: L=6, E=6, C=3 → D=108 (一般).
        let e = lec(6.0, 6.0, 3.0);
        assert_eq!((e.score_x100, e.grade), (10800, Grade::General));
        assert_eq!(lec(6.0, 6.0, 7.0).score_x100, 25200);
        assert_eq!(lec(6.0, 6.0, 7.0).grade, Grade::Large);
        assert_eq!(lec(3.0, 6.0, 15.0).grade, Grade::Large);
        assert_eq!(lec(10.0, 10.0, 7.0).score_x100, 70000);
        assert_eq!(lec(10.0, 10.0, 7.0).grade, Grade::Major);
        // Around the cut-offs with real inputs: 6×6×15 = 540 重大; 3×6×7 = 126 一般;
        // 10×6×3 = 180 较大; 1×6×7 = 42 低; 0.1 × 0.5 × 1 = 0.05.
        assert_eq!(lec(6.0, 6.0, 15.0).grade, Grade::Major);
        assert_eq!(lec(3.0, 6.0, 7.0).grade, Grade::General);
        assert_eq!(lec(10.0, 6.0, 3.0).grade, Grade::Large);
        assert_eq!(lec(1.0, 6.0, 7.0).grade, Grade::Low);
        assert_eq!(score_text(lec(0.1, 0.5, 1.0).score_x100), "0.05");
        assert_eq!(score_text(lec(0.5, 3.0, 1.0).score_x100), "1.5");
    }

    #[test]
    fn ls_cutoffs_r_at_least_20_15_9_on_both_sides() {
        let c = Cutoffs::default();
        let cases = [
            (2500, Grade::Major),
            (2000, Grade::Major),
            (1900, Grade::Large),
            (1500, Grade::Large),
            (1400, Grade::General),
            (900, Grade::General),
            (800, Grade::Low),
            (100, Grade::Low),
        ];
        for (r, want) in cases {
            assert_eq!(c.grade(Method::Ls, r), want, "R = {}", score_text(r));
        }
        // With real inputs: 4×5 = 20 重大, 4×4 = 16 较大, 3×5 = 15 较大, 3×4 = 12 一般,
        // 3×3 = 9 一般, 2×4 = 8 低.
        assert_eq!(ls(4.0, 5.0).grade, Grade::Major);
        assert_eq!(ls(4.0, 4.0).grade, Grade::Large);
        assert_eq!(ls(3.0, 5.0).grade, Grade::Large);
        assert_eq!(ls(3.0, 4.0).grade, Grade::General);
        assert_eq!(ls(3.0, 3.0).grade, Grade::General);
        assert_eq!(ls(2.0, 4.0).score_x100, 800);
        assert_eq!(ls(2.0, 4.0).grade, Grade::Low);
    }

    #[test]
    fn county_cutoffs_change_the_grade() {
        // A county using 400/200/70 for LEC and 20/9/4 for LS.
        let c = Cutoffs {
            lec: [400, 200, 70],
            ls: [20, 9, 4],
        };
        assert_eq!(c.grade(Method::Lec, 36000), Grade::Large);
        assert_eq!(c.grade(Method::Lec, 40001), Grade::Major);
        assert_eq!(c.grade(Method::Ls, 900), Grade::Large);
        assert_eq!(c.grade(Method::Ls, 400), Grade::General);
        assert_eq!(c.grade(Method::Ls, 300), Grade::Low);
    }

    #[test]
    fn only_the_tables_values_are_accepted() {
        let bad = Inputs {
            l: Some(6.0),
            e: Some(4.0),
            c: Some(3.0),
            s: None,
        };
        let err = evaluate(Method::Lec, bad, &Cutoffs::default()).unwrap_err();
        assert_eq!(err.fields.keys().collect::<Vec<_>>(), vec!["e"]);
        assert!(err.fields["e"][0].contains("10、6、3、2、1、0.5"));
        let missing = Inputs {
            l: Some(3.0),
            ..Inputs::default()
        };
        let err = evaluate(Method::Ls, missing, &Cutoffs::default()).unwrap_err();
        assert!(err.fields.contains_key("s"));
        let six = Inputs {
            l: Some(6.0),
            s: Some(1.0),
            ..Inputs::default()
        };
        assert!(
            evaluate(Method::Ls, six, &Cutoffs::default())
                .unwrap_err()
                .fields
                .contains_key("l")
        );
    }

    #[test]
    fn cutoffs_must_fall_from_major_to_general() {
        assert_eq!(
            Cutoffs::parse(Method::Lec, "320，160，70"),
            Ok([320, 160, 70])
        );
        assert!(Cutoffs::parse(Method::Lec, "160,320,70").is_err());
        assert!(Cutoffs::parse(Method::Lec, "320,160,160").is_err());
        assert!(Cutoffs::parse(Method::Lec, "320,160").is_err());
        assert!(Cutoffs::parse(Method::Ls, "30,15,9").is_err());
        assert!(Cutoffs::parse(Method::Ls, "20,15,x").is_err());
        assert_eq!(Cutoffs::default().text(Method::Ls), "20,15,9");
        assert_eq!(tenths_text(5), "0.5");
        assert_eq!(tenths_text(1000), "100");
    }
}
