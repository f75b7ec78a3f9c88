use super::*;

#[test]
fn values_are_formatted_plainly() {
    assert_eq!(fmt_value(1234.0), "1234");
    assert_eq!(fmt_value(12.5), "12.5");
    assert_eq!(fmt_value(0.126), "0.13");
    assert_eq!(fmt_value(3.10), "3.1");
}

#[test]
fn markers_split_and_strip() {
    let figs = vec![Figure {
        n: 0,
        metric: "x".into(),
        label: String::new(),
        unit: String::new(),
        filter: StatFilter::default(),
        raw: Some(7),
        value: Some(7.0),
        display: "7".into(),
        link: "/metrics/x?period=2022".into(),
    }];
    let s = format!("发现{MARK_OPEN}0{MARK_CLOSE}处");
    assert_eq!(strip_marks(&s, &figs), "发现7处");
}
