//! The comparison's `index.html`: headline figures, each council's change per year, the
//! changed figures largest first, and every changed row of the books with its places. One
//! static page: no server, no script; every piece of text goes through the HTML escaping.

use super::{figure, page, table, Td, Tr};
use crate::compare::largest_first;
use crate::money::Money;
use crate::report::compare::CompareView;
use crate::report::wording::pounds;

fn signed(money: Money) -> String {
    if money > Money::ZERO {
        format!("+{}", pounds(money))
    } else {
        pounds(money)
    }
}

pub fn compare_page(view: &CompareView<'_>) -> String {
    let comparison = view.comparison;
    let mut body = String::new();
    let changed = largest_first(comparison);
    let (more, less) = (view.more, view.less);
    body.push_str("<div class=\"figures\">");
    body.push_str(&figure("Figures that differ", &changed.len().to_string()));
    body.push_str(&figure(
        "Rows of the books that differ",
        &comparison.changes.len().to_string(),
    ));
    body.push_str(&figure("Councils paying more, in all", &signed(more)));
    body.push_str(&figure("Councils paying less, in all", &signed(less)));
    body.push_str("</div>\n");
    if comparison.is_same() {
        body.push_str(
            "<p class=\"note\">The two books give the same figures, and no row differs.</p>\n",
        );
    }

    body.push_str("<h2>What each council pays more (or less), by year</h2>\n");
    let years = &view.years;
    let mut header: Vec<String> = vec!["Council".into()];
    header.extend(years.iter().map(|y| format!("{y} £")));
    header.push("Over the book £".into());
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut numeric = vec![false];
    numeric.extend(std::iter::repeat_n(true, years.len() + 1));
    let rows: Vec<Tr> = view
        .largest_change_first()
        .into_iter()
        .map(|c| {
            let mut cells = vec![Td::Text(c.council.clone())];
            cells.extend(c.per_year.iter().map(|d| Td::Number(signed(*d))));
            cells.push(Td::Number(signed(c.total)));
            Tr::new(cells)
        })
        .collect();
    body.push_str(&table(&header_refs, &numeric, &rows));

    body.push_str("<h2>Every figure that differs, largest first</h2>\n");
    if changed.is_empty() {
        body.push_str("<p class=\"note\">None.</p>\n");
    } else {
        let rows: Vec<Tr> = changed
            .iter()
            .map(|d| {
                Tr::new(vec![
                    Td::Text(d.year.to_string()),
                    Td::Text(d.programme.clone()),
                    Td::Text(d.council.clone()),
                    Td::Number(pounds(d.a)),
                    Td::Number(pounds(d.b)),
                    Td::Number(signed(d.difference())),
                ])
            })
            .collect();
        body.push_str(&table(
            &["Year", "Programme", "Council", "A £", "B £", "Difference £"],
            &[false, false, false, true, true, true],
            &rows,
        ));
    }

    body.push_str("<h2>What changed in the books (changes.csv)</h2>\n");
    if comparison.changes.is_empty() {
        body.push_str("<p class=\"note\">No row differs.</p>\n");
    } else {
        let rows: Vec<Tr> = comparison
            .changes
            .iter()
            .map(|c| {
                Tr::new(vec![
                    Td::Text(c.table.to_string()),
                    Td::Text(c.key.clone()),
                    Td::Text(if c.column.is_empty() {
                        if c.a.is_empty() {
                            "row added"
                        } else {
                            "row removed"
                        }
                        .to_string()
                    } else {
                        c.column.to_string()
                    }),
                    Td::Text(c.a.clone()),
                    Td::Text(c.b.clone()),
                    Td::Text(c.place_a.clone()),
                    Td::Text(c.place_b.clone()),
                ])
            })
            .collect();
        body.push_str(&table(
            &[
                "Table",
                "Key",
                "Column",
                "A",
                "B",
                "Place in A",
                "Place in B",
            ],
            &[],
            &rows,
        ));
    }
    page(
        "West London Alliance: comparison of two books",
        &format!("A: {}   B: {}", comparison.label_a, comparison.label_b),
        "<strong>Comparison</strong><a href=\"compare.csv\">compare.csv</a><a href=\"compare_totals.csv\">compare_totals.csv</a><a href=\"changes.csv\">changes.csv</a><a href=\"compare.xlsx\">compare.xlsx</a>",
        &body,
        "Made by accord compare. Difference = B − A.",
    )
}
