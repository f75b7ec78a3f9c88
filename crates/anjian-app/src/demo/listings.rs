//! The demo's 挂牌督办 listings.

use super::*;

/// A few 挂牌督办 listings from the demo's major hazards: some listed in 2021 and de-listed
/// in 2022 (carried over), some listed and de-listed in 2022, one still listed.
pub(super) fn listings(app: &App) -> Result<usize> {
    let scope = Scope::system();
    let change = app.system_change(&scope, "demo");
    let cases = app.store.list_major_cases(
        &scope,
        &anjian_store::major::CaseFilter {
            limit: 100,
            ..Default::default()
        },
    )?;
    let mut n = 0;
    let open = cases
        .iter()
        .find(|(c, _)| c.state != anjian_domain::major::CaseState::Closed);
    // Every major fire hazard is listed by the government (the report's 重大火灾隐患挂牌督办),
    // plus the oldest few of other sectors and one still open.
    let mut chosen: Vec<&(
        anjian_store::major::MajorCase,
        anjian_store::hazards::Hazard,
    )> = cases
        .iter()
        .filter(|(_, h)| h.sector == "fire")
        .chain(cases.iter().rev().take(3))
        .chain(open)
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    chosen.retain(|(c, _)| seen.insert(c.hazard_id));
    for (k, (case, h)) in chosen.into_iter().enumerate() {
        let found = h.found_on;
        let listed = h.deadline.unwrap_or(found);
        let mut l = anjian_store::listings::Listing {
            id: 0,
            county_code: String::new(),
            region_code: h.region_code.clone(),
            hazard_id: Some(h.id),
            enterprise_id: h.enterprise_id,
            sector: h.sector.clone(),
            title: format!("{}（{}）挂牌督办", h.description, case.case_no),
            responsible_unit: h.responsible_unit.clone(),
            state: anjian_domain::listing::ListingState::Proposed,
            proposed_on: found,
            approved_on: None,
            doc_no: String::new(),
            listed_on: None,
            listing_announced_on: None,
            listing_channel: String::new(),
            deadline: listed,
            extensions: 0,
            verified_on: None,
            delisted_on: None,
            delisting_announced_on: None,
            delisting_channel: String::new(),
            version: 1,
        };
        let saved = app.store.create_listing(&change, &l)?;
        l.state = anjian_domain::listing::ListingState::Listed;
        l.approved_on = Some(found);
        l.listed_on = Some(found);
        l.doc_no = format!("清安委督〔{}〕{}号", found.year(), k + 1);
        l.listing_announced_on = Some(found);
        l.listing_channel = "市人民政府网站".into();
        let mut version = app
            .store
            .update_listing(&change, saved.id, 1, &l, "list", "")?
            .version;
        if case.state == anjian_domain::major::CaseState::Closed {
            let done = case.closed_on.or(h.closed_on).unwrap_or(listed);
            l.state = anjian_domain::listing::ListingState::Delisted;
            l.verified_on = Some(done);
            l.delisted_on = Some(done);
            l.delisting_announced_on = Some(done);
            l.delisting_channel = "市人民政府网站".into();
            version = app
                .store
                .update_listing(
                    &change,
                    saved.id,
                    version,
                    &l,
                    "delist",
                    "经现场核查整改合格，予以摘牌销案",
                )?
                .version;
        }
        let _ = version;
        n += 1;
    }
    Ok(n)
}
