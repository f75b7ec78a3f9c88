//! Campaign ledgers on both backends: a definition loaded (a second load of the same version
//! refused), rows written in their scope (a township's row outside its township refused, a
//! row of another township answering like a missing one), versions, the facet and keyword
//! filters, the import, the tallies the metrics sum (a stock ending on its day) with their
//! drill-down, re-tallying when a new version is loaded, hazards linked, files attached, the
//! units' reports (a second report of a period refused) and the audit trail.

use crate::*;
use anjian_domain::campaign::{Definition, ObjectType};
use anjian_store::StoreError;
use anjian_store::attachments::NewAttachment;
use anjian_store::campaigns::{CampaignObjectFilter, CampaignObjectInput, CampaignReportInput};
use anjian_store::paging::Keyset;
use anjian_store::stats::{StatFilter, catalogue};

const V1: &str = r#"
[campaign]
code = "ponds"
name = "尾矿库"
version = 1
sector = "mines"

[[object]]
key = "pond"
name = "尾矿库"
title = ["name"]
date = "listed_on"

[[object.field]]
key = "place"
label = "所在地"
type = "region"
required = true

[[object.field]]
key = "name"
label = "名称"
type = "text"
required = true

[[object.field]]
key = "listed_on"
label = "入库日期"
type = "date"
required = true

[[object.field]]
key = "delisted_on"
label = "销库日期"
type = "date"

[[object.field]]
key = "monitored"
label = "在线监测"
type = "yesno"

[[object.field]]
key = "report"
label = "报告"
type = "attachment"

[[indicator]]
key = "ponds"
label = "在册尾矿库"
unit = "座"
object = "pond"
stock = true
until = "delisted_on"

[[indicator]]
key = "monitored"
label = "在线监测"
unit = "座"
object = "pond"
where = [{ field = "monitored", equals = true }]
"#;

fn row(def: &Definition, id: i64, place: &str, data: serde_json::Value) -> CampaignObjectInput {
    let data = data.as_object().cloned().unwrap_or_default();
    let ot: &ObjectType = def.object("pond").unwrap();
    CampaignObjectInput {
        campaign: def.code.clone(),
        object_type: "pond".into(),
        definition_id: id,
        region_code: place.into(),
        sector: def.sector.clone(),
        enterprise_id: None,
        title: ot.title_of(&data),
        data,
        recorded_on: day("2022-05-01"),
    }
}

#[test]
fn campaign_ledgers_keep_their_rows_tallies_and_reports_on_both_backends() {
    each(|s| {
        seed_org(s);
        let county = county_scope();
        let ch = sys(&county);
        let v1 = Definition::parse(V1).unwrap();
        let loaded = s.load_campaign_definition(&ch, COUNTY, &v1, V1).unwrap();
        assert!(matches!(
            s.load_campaign_definition(&ch, COUNTY, &v1, V1),
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(s.campaign_definitions(&county).unwrap().len(), 1);

        // A township writes in its own township only; a row elsewhere is refused.
        let town = Scope::region(&rc(TOWN_A), true);
        let tch = sys(&town);
        let a = s
            .create_campaign_object(
                &tch,
                &row(&v1, loaded.id, VILLAGE_A1, serde_json::json!({"place": VILLAGE_A1, "name": "东坑尾矿库", "listed_on": "2010-01-01", "delisted_on": "2022-09-30", "monitored": true})),
            )
            .unwrap();
        assert!(matches!(
            s.create_campaign_object(
                &tch,
                &row(
                    &v1,
                    loaded.id,
                    VILLAGE_B1,
                    serde_json::json!({"place": VILLAGE_B1, "name": "x", "listed_on": "2010-01-01"})
                ),
            ),
            Err(StoreError::Forbidden)
        ));
        let ids = s
            .import_campaign_objects(
                &ch,
                &[
                    row(&v1, loaded.id, VILLAGE_B1, serde_json::json!({"place": VILLAGE_B1, "name": "石塘尾矿库", "listed_on": "2015-06-01", "monitored": false})),
                    row(&v1, loaded.id, TOWN_B, serde_json::json!({"place": TOWN_B, "name": "永泰尾矿库", "listed_on": "2022-03-01", "monitored": true})),
                ],
            )
            .unwrap();
        assert_eq!(ids.len(), 2);
        // Another township's row answers like a missing one.
        assert!(matches!(
            s.get_campaign_object(&town, ids[0]),
            Err(StoreError::NotFound)
        ));

        // Filters.
        let f = |facets: Vec<String>, search: Option<&str>| CampaignObjectFilter {
            campaign: "ponds".into(),
            object_type: "pond".into(),
            facets,
            search: search.map(str::to_string),
            ..Default::default()
        };
        let list = |scope: &Scope, f: CampaignObjectFilter| {
            s.list_campaign_objects(scope, &f, &Keyset::first(50))
                .unwrap()
                .items
                .into_iter()
                .map(|o| o.title)
                .collect::<Vec<_>>()
        };
        assert_eq!(list(&county, f(vec![], None)).len(), 3);
        assert_eq!(list(&town, f(vec![], None)), ["东坑尾矿库"]);
        let yes = ObjectType::facet("monitored", "是");
        assert_eq!(list(&county, f(vec![yes], None)).len(), 2);
        assert_eq!(list(&county, f(vec![], Some("石塘"))), ["石塘尾矿库"]);

        // The metrics: the stock at 2022's end leaves out the pond de-listed in September.
        let cat = catalogue(&[], std::slice::from_ref(&v1));
        let val = |id: &str, filter: &StatFilter| {
            let m = cat.iter().find(|m| m.id == id).unwrap();
            s.metric_value(m, &county, filter, day("2022-01-01"), day("2022-12-31"))
                .unwrap()
        };
        let all = StatFilter::default();
        assert_eq!(val("campaign.ponds.ponds", &all), Some(2));
        assert_eq!(
            val("campaign.ponds.monitored", &all),
            Some(1),
            "listed in 2022"
        );
        let m = cat.iter().find(|m| m.id == "campaign.ponds.ponds").unwrap();
        let drill = s
            .metric_records(m, &county, &all, day("2022-01-01"), day("2022-12-31"), 50)
            .unwrap()
            .unwrap();
        let mut labels: Vec<&str> = drill.iter().map(|d| d.label.as_str()).collect();
        labels.sort();
        assert_eq!(labels, ["永泰尾矿库", "石塘尾矿库"]);
        assert!(drill.iter().all(|d| d.entity == "campaign_object"));

        // An edit with a stale version conflicts; the current one moves the tallies.
        let edited = row(
            &v1,
            loaded.id,
            VILLAGE_A1,
            serde_json::json!({"place": VILLAGE_A1, "name": "东坑尾矿库", "listed_on": "2010-01-01", "monitored": true}),
        );
        let a2 = s
            .update_campaign_object(&tch, a.id, a.version, &edited)
            .unwrap();
        assert!(matches!(
            s.update_campaign_object(&tch, a.id, a.version, &edited),
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(val("campaign.ponds.ponds", &all), Some(3));

        // A new version re-tallies every row: monitoring counted from its own date now.
        let v2src = V1.replace("version = 1", "version = 2").replace(
            "where = [{ field = \"monitored\", equals = true }]",
            "where = [{ field = \"monitored\", equals = true }]\nstock = true",
        );
        let v2 = Definition::parse(&v2src).unwrap();
        s.load_campaign_definition(&ch, COUNTY, &v2, &v2src)
            .unwrap();
        let cat2 = catalogue(&[], std::slice::from_ref(&v2));
        let m2 = cat2
            .iter()
            .find(|m| m.id == "campaign.ponds.monitored")
            .unwrap();
        assert_eq!(
            s.metric_value(m2, &county, &all, day("2022-01-01"), day("2022-12-31"))
                .unwrap(),
            Some(2)
        );

        // A file in an attachment field; a hazard linked.
        let file = NewAttachment {
            file_name: "report.pdf".into(),
            content_type: "application/pdf".into(),
            sha256: "00".repeat(32),
            data: b"%PDF-1.4".to_vec(),
            note: String::new(),
        };
        let (a3, att) = s
            .attach_to_campaign_object(&tch, a.id, a2.version, "report", &file)
            .unwrap();
        assert_eq!(a3.data["report"], att.id);
        assert_eq!(s.campaign_object_attachments(&town, a.id).unwrap().len(), 1);
        assert!(s.attachment_data(&town, att.id).is_ok());
        assert!(matches!(
            s.attachment_data(&Scope::region(&rc(TOWN_B), false), att.id),
            Err(StoreError::NotFound)
        ));

        // Reports: once per unit and period.
        let r = CampaignReportInput {
            county_code: COUNTY.into(),
            campaign: "ponds".into(),
            object_type: "pond".into(),
            unit_key: TOWN_A.into(),
            period_start: day("2022-04-01"),
            period_end: day("2022-06-30"),
            no_change: true,
            note: String::new(),
        };
        s.submit_campaign_report(&tch, &r).unwrap();
        assert!(matches!(
            s.submit_campaign_report(&tch, &r),
            Err(StoreError::Conflict(_))
        ));
        let got = s
            .campaign_reports(
                &county,
                "ponds",
                "pond",
                day("2022-01-01"),
                day("2022-12-31"),
            )
            .unwrap();
        assert_eq!(got.len(), 1);
        assert!(got[0].no_change);

        // Deleting keeps the audit entry and drops the row and its tallies.
        s.delete_campaign_object(&ch, ids[0], 1).unwrap();
        assert!(matches!(
            s.get_campaign_object(&county, ids[0]),
            Err(StoreError::NotFound)
        ));
        assert_eq!(
            s.metric_value(m2, &county, &all, day("2022-01-01"), day("2022-12-31"))
                .unwrap(),
            Some(2)
        );
        let audit = s
            .list_audit(
                &county,
                &anjian_store::audit::AuditFilter {
                    entity: Some("campaign_object".into()),
                    limit: 100,
                    ..Default::default()
                },
            )
            .unwrap();
        assert!(audit.iter().any(|e| e.action == "campaign_object.delete"));
        assert!(audit.iter().any(|e| e.action == "campaign_object.attach"));
        assert!(s.verify_audit().unwrap().ok());
    });
}

/// The campaign definitions a page reads are kept while nothing is committed, under a key
/// that holds the caller's scope: a definition loaded through another handle on the same
/// database shows at once, a new version replaces the old one, and one scope's kept answer
/// is never another's (a county not loading it sees none, before and after the county
/// that did has read it).
#[test]
fn kept_campaign_definitions_follow_any_handle_and_stay_in_their_scope() {
    each_with_another_handle(|s, other| {
        let county = county_scope();
        let elsewhere = Scope::region(&rc("360983000000"), true);
        let ch = sys(&county);
        let versions = |scope: &Scope| -> Vec<i64> {
            s.campaign_definitions(scope)
                .unwrap()
                .into_iter()
                .map(|d| d.version)
                .collect()
        };
        assert_eq!(versions(&county), Vec::<i64>::new());
        assert_eq!(versions(&elsewhere), Vec::<i64>::new());
        let v1 = Definition::parse(V1).unwrap();
        other
            .load_campaign_definition(&ch, COUNTY, &v1, V1)
            .unwrap();
        assert_eq!(versions(&county), vec![1]);
        assert_eq!(versions(&elsewhere), Vec::<i64>::new());
        let v2src = V1.replace("version = 1", "version = 2");
        let v2 = Definition::parse(&v2src).unwrap();
        other
            .load_campaign_definition(&ch, COUNTY, &v2, &v2src)
            .unwrap();
        assert_eq!(versions(&county), vec![2]);
        assert_eq!(versions(&elsewhere), Vec::<i64>::new());
    });
}
