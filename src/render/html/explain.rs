//! A year's `explain.html`: for every programme and support-in-kind pool, the working the
//! engine recorded (budget lines and grants with their places, the opening balance, the
//! members' pool, and each split with every council's weight, exact share, penny and part).
//! Each figure of the dashboard's contributions table links to its council's row here
//! (`explain.html#ADULTS-HRW`). One pass over the record: the page grows with the allocations,
//! not with their square.

use super::{escape, page};
use crate::engine::record::Stage;
use crate::engine::{Results, SIK};
use crate::explain::{exact_share, members_pool, participants, total_weight, Places};
use crate::model::{Book, CouncilKind};
use crate::report::wording::{grouped_decimal, pounds, programme_title};
use crate::values::Year;
use std::fmt::Write;

pub const EXPLAIN_PAGE: &str = "explain.html";

/// The anchor of a figure: `ADULTS-HRW`, or `SIK-EAL-HRW` for support in kind from EAL.
pub fn anchor(programme: &str, holder: &str, council: &str) -> String {
    if programme == SIK {
        format!("{SIK}-{holder}-{council}")
    } else {
        format!("{programme}-{council}")
    }
}

/// A figure of the contributions table, linked to its working.
pub fn figure_link(
    programme: &str,
    holder: &str,
    council: &str,
    amount: crate::money::Money,
) -> super::Td {
    super::Td::NumberLink {
        href: format!("{EXPLAIN_PAGE}#{}", anchor(programme, holder, council)),
        text: pounds(amount),
    }
}

pub fn explain_page(book: &Book, results: &Results, year: Year) -> String {
    let places = Places::new(book);
    let mut body = String::from(
        "<p class=\"note\">How each figure of the year's contributions is worked out, from the engine's own record of each split. Every part is the floor of its exact share; the pence left over go one each to the largest remainders, ties to the lower council code. <code>accord explain BOOK YEAR PROGRAMME COUNCIL</code> prints one figure's working.</p>\n",
    );
    let mut current: Option<(&str, &str)> = None;
    for record in results.record.splits.iter().filter(|s| s.year == year) {
        if current != Some((record.programme.as_str(), record.holder.as_str())) {
            current = Some((record.programme.as_str(), record.holder.as_str()));
            let _ = writeln!(
                body,
                "<h2>{} {}</h2>",
                escape(&record.programme),
                escape(&programme_title(book, &record.programme, &record.holder))
            );
            if record.programme != SIK {
                programme_inputs(&mut body, book, results, year, &record.programme);
            } else {
                let lines = crate::explain::in_place_order(
                    book.support_in_kind
                        .iter()
                        .filter(|s| s.year == year && s.provider == record.holder),
                    |s| (&s.place, &s.provider, &s.category, s.amount),
                );
                body.push_str("<p class=\"note\">Support-in-kind lines:");
                for line in lines {
                    let _ = write!(
                        body,
                        " {} {} ({});",
                        escape(&line.category),
                        escape(&pounds(line.amount)),
                        escape(&line.place.to_string())
                    );
                }
                body.push_str("</p>\n");
            }
        }
        let what = match record.stage {
            Stage::GuestCharges => {
                "Gross budget over everyone taking part (guests keep their parts)"
            }
            Stage::MembersPool => "Members' pool over the members taking part",
            Stage::SupportInKind => "The pool over every council taking part that year",
        };
        let total_weight = total_weight(record);
        let _ =
            writeln!(
            body,
            "<p>{}: {} split by weight (total weight {}); {} pence left over after the floors.</p>",
            escape(what),
            escape(&pounds(crate::money::Money::from_pence(record.working.amount_pence))),
            escape(&grouped_decimal(total_weight)),
            record.working.left_over_pence()
        );
        body.push_str("<table>\n<thead><tr><th>Council</th><th>Kind</th><th class=\"n\">Days</th><th class=\"n\">Weight</th><th>Share</th><th class=\"n\">Exact share (pence)</th><th class=\"n\">Penny</th><th class=\"n\">Part £</th><th>Places</th></tr></thead>\n<tbody>\n");
        for (index, p) in participants(&places, results, record).iter().enumerate() {
            let figure_here = match record.stage {
                Stage::GuestCharges => p.kind == CouncilKind::Guest.as_str(),
                _ => true,
            };
            let id = if figure_here {
                format!(
                    " id=\"{}\"",
                    escape(&anchor(&record.programme, &record.holder, &p.council))
                )
            } else {
                String::new()
            };
            let (share, exact) = exact_share(record, index);
            let _ = writeln!(
                body,
                "<tr{id}><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                escape(&p.council),
                escape(&p.kind),
                p.days,
                escape(&grouped_decimal(p.weight.parse().unwrap_or_default())),
                escape(&share),
                escape(&exact),
                if p.extra_penny { "+1p" } else { "" },
                escape(&pounds(p.part)),
                escape(&p.places.join(", "))
            );
        }
        body.push_str("</tbody>\n</table>\n");
    }
    page(
        &format!("How each figure is worked out, {year}"),
        "West London Alliance",
        "<a href=\"index.html\">Back to the year's dashboard</a>",
        &body,
        "Made by accord from the engine's record of each split.",
    )
}

fn programme_inputs(
    body: &mut String,
    book: &Book,
    results: &Results,
    year: Year,
    programme: &str,
) {
    let Some(end) = results
        .year_ends
        .iter()
        .find(|e| e.year == year && e.programme == programme)
    else {
        return;
    };
    body.push_str("<p class=\"note\">Budget lines:");
    for line in crate::explain::in_place_order(
        book.budget
            .iter()
            .filter(|b| b.year == year && b.programme == programme),
        |b| (&b.place, &b.line, &b.category, b.amount),
    ) {
        let _ = write!(
            body,
            " {} {} ({});",
            escape(&line.line),
            escape(&pounds(line.amount)),
            escape(&line.place.to_string())
        );
    }
    let _ = write!(body, " gross {}.", escape(&pounds(end.budget)));
    let carry_forward = book
        .programme(programme)
        .map_or(crate::model::CarryForward::Apply, |p| p.carry_forward);
    let settled = crate::explain::settled_on_actual(carry_forward, end);
    if let Some(actual) = settled {
        let _ = write!(
            body,
            " The programme settles on what was spent, so its year is charged on its actual spend of {}, not its budget.",
            escape(&pounds(actual))
        );
    }
    let grants = crate::explain::in_place_order(
        book.grants
            .iter()
            .filter(|g| g.year == year && g.programme == programme),
        |g| (&g.place, &g.source, &g.source, g.amount),
    );
    if !grants.is_empty() {
        body.push_str(" Grants:");
        for g in grants {
            let _ = write!(
                body,
                " {} {} ({});",
                escape(&g.source),
                escape(&pounds(g.amount)),
                escape(&g.place.to_string())
            );
        }
    }
    let _ = writeln!(
        body,
        " Opening balance {}, applied {}; guest charges {}; members' pool = {} − grants − applied − guest charges = {}.</p>",
        escape(&pounds(end.opening)),
        escape(&pounds(end.applied)),
        escape(&pounds(end.guest_charges)),
        if settled.is_some() { "actual spend" } else { "gross" },
        escape(&pounds(members_pool(carry_forward, end))),
    );
}
