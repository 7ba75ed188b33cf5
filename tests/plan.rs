//! The business plan and benefits (issue 6) on the fixture book: the plan years, what each
//! council is expected to pay, programme status, savings against the GBP 57m target, the annual
//! report's figures, and the plan of generated books. `xlsx` reads `plan.xlsx` back.

mod xlsx;

use crate::support::books::random_book;
use crate::support::*;
use accord::engine::plan::{self, Plan, Rag, RunRate};
use accord::engine::{self, ExtraActuals, Results};
use accord::model::Book;
use accord::money::Money;
use accord::values::Year;
use std::collections::BTreeMap;

fn fixture_plan() -> (Book, Results, Plan) {
    let (book, diags) = accord::pipeline::load(&fixture());
    let book = book.unwrap_or_else(|| panic!("the fixture book loads: {diags:?}"));
    let results = engine::run(&book, &ExtraActuals::new());
    let plan = plan::plan(&book, &results);
    (book, results, plan)
}

fn pounds(text: &str) -> Money {
    accord::money::parse_amount_text(text).unwrap().money
}

#[test]
fn the_plan_is_the_first_forecast_year_and_the_two_after() {
    let (_, results, plan) = fixture_plan();
    let bp = &plan.business_plan;
    assert_eq!(bp.years, vec![Year(2014), Year(2015), Year(2016)]);
    assert_eq!(bp.shortfall, None);
    assert_eq!(
        bp.programmes.first().map(String::as_str),
        Some("OFFICE"),
        "the Office comes first"
    );
    assert_eq!(
        bp.programmes.last().map(String::as_str),
        Some("SIK"),
        "support in kind comes last"
    );
    let hrw_office = bp
        .payments
        .iter()
        .find(|p| p.year == Year(2014) && p.council == "HRW" && p.programme == "OFFICE");
    assert_eq!(
        hrw_office.map(|p| p.amount),
        Some(pounds("31475.00")),
        "HRW's 2014/15 Office contribution"
    );
    let mut paid: BTreeMap<(Year, &str), Money> = BTreeMap::new();
    for p in &bp.payments {
        *paid.entry((p.year, &p.council)).or_default() += p.amount;
    }
    for r in results
        .returns
        .iter()
        .filter(|r| bp.years.contains(&r.year))
    {
        assert_eq!(
            paid.get(&(r.year, r.council.as_str()))
                .copied()
                .unwrap_or_default(),
            r.paid,
            "{} {}: plan = returns.csv paid",
            r.year,
            r.council
        );
    }
    let planned: Money = bp.payments.iter().map(|p| p.amount).sum();
    let allocated: Money = results
        .allocations
        .iter()
        .filter(|a| bp.years.contains(&a.year))
        .map(|a| a.amount)
        .sum();
    assert_eq!(
        planned, allocated,
        "the plan's payments are every allocation of its years"
    );
}

#[test]
fn programme_status_of_the_fixture() {
    let (_, _, plan) = fixture_plan();
    let status = |year: i32, programme: &str| {
        let s = plan
            .status
            .iter()
            .find(|s| s.year == Year(year) && s.programme == programme)
            .unwrap();
        (s.target, s.achieved, s.status)
    };
    let cases: &[(i32, &str, &str, &str, Option<Rag>)] = &[
        // every council and type summed: 4,105,000 of 4,150,000 (98.9%)
        (2012, "ADULTS", "4150000.00", "4105000.00", Some(Rag::Amber)),
        (2012, "PROCURE", "650000.00", "682500.00", Some(Rag::Green)),
        (2012, "PROPERTY", "190000.00", "171000.00", Some(Rag::Amber)), // 90%
        (2012, "TRANSPORT", "720000.00", "415000.00", Some(Rag::Red)),  // 57.6%
        (2014, "ADULTS", "6850000.00", "0.00", None),                   // not yet reported
    ];
    for (year, programme, target, achieved, expected) in cases {
        assert_eq!(
            status(*year, programme),
            (Some(pounds(target)), pounds(achieved), *expected),
            "{year} {programme}"
        );
    }
}

#[test]
fn savings_against_the_57m_target() {
    let (book, _, plan) = fixture_plan();
    let mut cumulative = Money::ZERO;
    for y in &plan.savings.years {
        cumulative += book
            .benefits
            .iter()
            .filter(|b| b.year == y.year && b.benefit_type == accord::model::BenefitType::Cashable)
            .filter_map(|b| b.target)
            .sum();
        assert_eq!(
            y.cumulative_target, cumulative,
            "the cumulative target line in {}",
            y.year
        );
    }
    let achieved: Vec<Option<Money>> = plan
        .savings
        .years
        .iter()
        .map(|y| y.cumulative_achieved)
        .collect();
    assert_eq!(
        achieved,
        vec![
            Some(pounds("5489500.00")),
            Some(pounds("14409500.00")),
            None,
            None,
            None
        ]
    );
    let t = plan
        .savings
        .target
        .as_ref()
        .expect("the fixture sets a collective target");
    assert_eq!(
        (t.target, t.by, t.as_at),
        (pounds("57000000"), Year(2016), Some(Year(2013)))
    );
    assert_eq!(
        (t.achieved_to_date, t.gap, t.years_left),
        (pounds("14409500"), pounds("42590500"), 3)
    );
    assert_eq!(
        t.run_rate,
        RunRate::PerYear(pounds("14196833.34")),
        "42,590,500 / 3, rounded up"
    );
}

#[test]
fn the_annual_report_for_a_year_with_actuals() {
    let (book, results, plan) = fixture_plan();
    assert_eq!(
        plan::annual_report_years(&results),
        vec![Year(2012), Year(2013)]
    );
    assert!(
        plan::annual_report(&plan, &results, Year(2014)).is_none(),
        "2014/15 is a forecast"
    );
    let report = plan::annual_report(&plan, &results, Year(2013)).unwrap();
    assert_eq!(report.outturn.len(), 8);
    for o in &report.outturn {
        let e = results
            .year_ends
            .iter()
            .find(|e| e.year == Year(2013) && e.programme == o.programme)
            .unwrap();
        assert_eq!(
            (o.budget, o.actual, o.variance),
            (e.budget, e.actual, e.actual - e.budget),
            "{}",
            o.programme
        );
    }
    let exceptions = results
        .variance
        .iter()
        .filter(|v| v.year == Year(2013) && v.exception)
        .count();
    assert_eq!(report.exceptions.len(), exceptions);
    assert!(report.exceptions.iter().all(|v| v.exception));
    assert_eq!(report.returns.len(), 7, "six members and the guest");
    assert_eq!(
        report.partnership.as_ref().map(|p| p.achieved),
        Some(pounds("8920000"))
    );

    let sheets = accord::report::plan::annual_report_sheets(&report, &book);
    let names: Vec<&str> = sheets.iter().map(|s| s.name).collect();
    assert_eq!(names, ["outturn", "exceptions", "savings", "returns"]);
    let outturn = sheets[0].block("outturn").unwrap();
    let budget: Money = report.outturn.iter().map(|o| o.budget).sum();
    assert_eq!(
        outturn.cell("total", "budget").map(|c| c.written()),
        Some(budget.to_string())
    );
    let transport = sheets[2]
        .block("by programme")
        .unwrap()
        .cell("TRANSPORT", "status")
        .unwrap();
    assert_eq!(
        transport.written(),
        "amber",
        "2013/14 TRANSPORT: 875,000 of 1,080,000 (81.0%)"
    );
}

#[test]
fn generated_books_plan_every_allocation_of_their_plan_years() {
    for seed in 0..40 {
        let book = random_book(seed);
        let results = engine::run(&book, &ExtraActuals::new());
        let plan = plan::plan(&book, &results);
        let bp = &plan.business_plan;
        assert!(
            bp.years.len() <= 3 && (bp.years.len() == 3 || bp.shortfall.is_some()),
            "seed {seed}"
        );
        let planned: Money = bp.payments.iter().map(|p| p.amount).sum();
        let allocated: Money = results
            .allocations
            .iter()
            .filter(|a| bp.years.contains(&a.year))
            .map(|a| a.amount)
            .sum();
        assert_eq!(planned, allocated, "seed {seed}");
        let ends: Vec<_> = results
            .year_ends
            .iter()
            .filter(|e| bp.years.contains(&e.year))
            .collect();
        assert_eq!(bp.balances.iter().collect::<Vec<_>>(), ends, "seed {seed}");
        let sheets = accord::report::plan::plan_sheets(&plan, &book);
        let mut bytes = Vec::new();
        accord::render::xlsx::plan::write_plan_xlsx(&sheets, &mut bytes).unwrap();
        assert!(!bytes.is_empty(), "seed {seed}");
    }
}
