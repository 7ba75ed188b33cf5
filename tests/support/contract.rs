//! The file contract of an output folder (SPEC §3), checked in Rust: headers, amounts with two
//! decimals, years as 2012/13, sorted rows, invoice numbers, and the money identities that hold
//! for any book (closing = opening + guest charges + member contributions + grants − actual;
//! each opening is last year's closing; per programme and year the allocations add up to guest
//! charges + member contributions; no year invoices more than it allocated; settlement transfers
//! meet every council's net position). It does not know the book, so it cannot say whether a
//! figure is right, only whether the files could be. `issue.csv`, `settlement.csv` and
//! `monitoring.csv` are checked when present.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::Path;

/// The header of each table the contract knows, and how many leading columns it is sorted by.
const TABLES: &[(&str, &[&str], usize)] = &[
    (
        "allocations.csv",
        &[
            "year",
            "programme",
            "council",
            "kind",
            "days",
            "weight",
            "amount",
        ],
        3,
    ),
    (
        "carry_forward.csv",
        &[
            "year",
            "programme",
            "status",
            "opening",
            "budget",
            "grants",
            "guest_charges",
            "member_contributions",
            "actual",
            "closing",
        ],
        2,
    ),
    (
        "invoices.csv",
        &["invoice", "year", "issuer", "payer", "programme", "amount"],
        5,
    ),
    (
        "variance.csv",
        &[
            "year",
            "programme",
            "category",
            "budget",
            "actual",
            "variance",
            "exception",
        ],
        3,
    ),
    (
        "benefits.csv",
        &["year", "programme", "council", "type", "target", "achieved"],
        4,
    ),
    ("returns.csv", &["year", "council", "paid", "cashable"], 2),
    (
        "unmapped.csv",
        &["source", "line", "cost_centre", "amount", "reason"],
        2,
    ),
    (
        "issue.csv",
        &[
            "document",
            "kind",
            "year",
            "issuer",
            "payer",
            "programme",
            "amount",
            "adjusts",
        ],
        1,
    ),
    ("settlement.csv", &["year", "payer", "payee", "amount"], 3),
    (
        "monitoring.csv",
        &[
            "year",
            "programme",
            "category",
            "budget",
            "budget_to_date",
            "actual_to_date",
            "forecast_outturn",
            "variance",
            "exception",
        ],
        3,
    ),
];

/// The tables every output folder has.
const REQUIRED: &[&str] = &["allocations.csv", "carry_forward.csv", "invoices.csv"];

/// Columns that hold an amount.
const MONEY: &[&str] = &[
    "budget_to_date",
    "actual_to_date",
    "forecast_outturn",
    "amount",
    "opening",
    "budget",
    "grants",
    "guest_charges",
    "member_contributions",
    "actual",
    "closing",
    "variance",
    "target",
    "achieved",
    "paid",
    "cashable",
];

/// (table, column) where a blank is allowed (SPEC §4: a blank target means no target).
const BLANK_OK: &[(&str, &str)] = &[("benefits.csv", "target")];

/// One table's body, each row a map from column name to text.
type Table = Vec<HashMap<String, String>>;

/// `-1234.50` → -123450; `None` unless the text reads like an amount with two decimals.
fn pence(s: &str) -> Option<i64> {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (whole, frac) = digits.split_once('.')?;
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || frac.len() != 2 || !all_digits(frac) {
        return None;
    }
    let v = whole.parse::<i64>().ok()?.checked_mul(100)? + frac.parse::<i64>().ok()?;
    Some(if neg { -v } else { v })
}

fn is_year(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 7
        && b[4] == b'/'
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[5..].iter().all(u8::is_ascii_digit)
}

/// The sort key of one cell: numbers by value before any text, text by its characters.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Number(u128),
    Text(String),
}

fn key(cell: &str) -> Key {
    if !cell.is_empty() && cell.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = cell.parse() {
            return Key::Number(n);
        }
    }
    Key::Text(cell.to_string())
}

fn get<'a>(row: &'a HashMap<String, String>, column: &str) -> &'a str {
    row.get(column).map(String::as_str).unwrap_or("")
}

/// Every way the folder breaks the contract; empty when it holds.
pub fn contract_problems(out: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let mut tables: HashMap<&str, Table> = HashMap::new();
    for &(name, header, sort_columns) in TABLES {
        let path = out.join(name);
        let Ok(raw) = fs::read(&path) else {
            if REQUIRED.contains(&name) {
                problems.push(format!("{name}: missing"));
            }
            continue;
        };
        if raw.starts_with(b"\xef\xbb\xbf") {
            problems.push(format!("{name}: starts with a byte-order mark"));
        }
        let Ok(text) = String::from_utf8(raw) else {
            problems.push(format!("{name}: is not UTF-8"));
            continue;
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut rows: Vec<Vec<String>> = Vec::new();
        for record in reader.records() {
            match record {
                Ok(r) => rows.push(r.iter().map(str::to_string).collect()),
                Err(e) => {
                    problems.push(format!("{name}: unreadable CSV: {e}"));
                    break;
                }
            }
        }
        if rows
            .first()
            .map(|h| h.iter().map(String::as_str).eq(header.iter().copied()))
            != Some(true)
        {
            problems.push(format!(
                "{name}: header {:?} should be {header:?}",
                rows.first()
            ));
            continue;
        }
        let body: Table = rows[1..]
            .iter()
            .map(|r| {
                header
                    .iter()
                    .zip(r)
                    .map(|(h, v)| (h.to_string(), v.clone()))
                    .collect()
            })
            .collect();
        for (i, r) in body.iter().enumerate() {
            let line = i + 2;
            for column in header.iter().filter(|c| MONEY.contains(c)) {
                let v = get(r, column);
                if v.is_empty() && BLANK_OK.contains(&(name, *column)) {
                    continue;
                }
                if pence(v).is_none() {
                    problems.push(format!(
                        "{name}:{line}: {column} {v:?} is not an amount like 1234.50"
                    ));
                    break;
                }
            }
            if r.contains_key("year") && !is_year(get(r, "year")) {
                problems.push(format!(
                    "{name}:{line}: year {:?} should read like 2012/13",
                    get(r, "year")
                ));
            }
        }
        let keys: Vec<Vec<Key>> = rows[1..]
            .iter()
            .map(|r| r.iter().take(sort_columns).map(|c| key(c)).collect())
            .collect();
        if keys.windows(2).any(|w| w[0] > w[1]) {
            problems.push(format!(
                "{name}: rows are not sorted by their leading columns"
            ));
        }
        tables.insert(name, body);
    }
    let empty = Table::new();
    let table = |name: &str| tables.get(name).unwrap_or(&empty);

    // Carry-forward: each closing from its parts, each opening from last year's closing.
    let carry = table("carry_forward.csv");
    let mut closing_of: BTreeMap<(i64, String), (i64, i64)> = BTreeMap::new();
    for r in carry {
        let parts: Option<Vec<i64>> = [
            "opening",
            "grants",
            "guest_charges",
            "member_contributions",
            "actual",
            "closing",
        ]
        .iter()
        .map(|k| pence(get(r, k)))
        .collect();
        let Some(p) = parts else { continue };
        let (o, g, gc, mc, a, c) = (p[0], p[1], p[2], p[3], p[4], p[5]);
        let (year, programme) = (get(r, "year"), get(r, "programme"));
        if o + gc + mc + g - a != c {
            problems.push(format!(
                "carry_forward.csv: {year} {programme}: opening + guest charges + member contributions + grants - actual != closing"
            ));
        }
        if !["actual", "forecast", "in_progress"].contains(&get(r, "status")) {
            problems.push(format!("carry_forward.csv: status {:?}", get(r, "status")));
        }
        if let Some(start) = year.get(..4).and_then(|y| y.parse::<i64>().ok()) {
            closing_of.insert((start, programme.to_string()), (o, c));
        }
    }
    for ((y, p), (o, _)) in &closing_of {
        if let Some((_, last_closing)) = closing_of.get(&(y - 1, p.clone())) {
            if last_closing != o {
                problems.push(format!(
                    "carry_forward.csv: {y} {p}: opening is not last year's closing"
                ));
            }
        }
    }

    // Allocations: per programme and year, guest charges + member contributions.
    let allocations = table("allocations.csv");
    let mut by_programme: HashMap<(String, String), i64> = HashMap::new();
    let mut by_year: HashMap<String, i64> = HashMap::new();
    for r in allocations {
        if let Some(a) = pence(get(r, "amount")) {
            let year = get(r, "year").to_string();
            *by_programme
                .entry((year.clone(), get(r, "programme").to_string()))
                .or_default() += a;
            *by_year.entry(year).or_default() += a;
        }
    }
    for r in carry {
        let (Some(gc), Some(mc)) = (
            pence(get(r, "guest_charges")),
            pence(get(r, "member_contributions")),
        ) else {
            continue;
        };
        let k = (get(r, "year").to_string(), get(r, "programme").to_string());
        let got = by_programme.get(&k).copied().unwrap_or(0);
        if got != gc + mc {
            problems.push(format!(
                "allocations.csv: {} {} adds up to {got}p, carry_forward says {}p",
                k.0,
                k.1,
                gc + mc
            ));
        }
    }

    // Invoices: numbers, no council invoicing itself, no zero invoice, no more than allocated.
    let invoices = table("invoices.csv");
    let mut totals: BTreeMap<String, i64> = BTreeMap::new();
    let mut invoiced_in: BTreeMap<String, i64> = BTreeMap::new();
    for (i, r) in invoices.iter().enumerate() {
        let line = i + 2;
        let (issuer, payer) = (get(r, "issuer"), get(r, "payer"));
        let want = format!("WLA/{}/{issuer}/{payer}", get(r, "year").replace('/', "-"));
        if get(r, "invoice") != want {
            problems.push(format!(
                "invoices.csv:{line}: number {:?} should be {want:?}",
                get(r, "invoice")
            ));
        }
        if issuer == payer {
            problems.push(format!("invoices.csv:{line}: a council invoices itself"));
        }
        if let Some(a) = pence(get(r, "amount")) {
            *totals.entry(get(r, "invoice").to_string()).or_default() += a;
            *invoiced_in.entry(get(r, "year").to_string()).or_default() += a;
        }
    }
    for (number, total) in &totals {
        if *total == 0 {
            problems.push(format!(
                "invoices.csv: {number} totals zero and should not be issued"
            ));
        }
    }
    for (year, v) in &invoiced_in {
        let allocated = by_year.get(year).copied().unwrap_or(0);
        if *v > allocated {
            problems.push(format!(
                "invoices.csv: {year} invoices more ({v}p) than was allocated ({allocated}p)"
            ));
        }
    }

    // Settlement (SPEC §7): the transfers meet every council's net position exactly.
    if let Some(settlement) = tables.get("settlement.csv") {
        let mut net: BTreeMap<(String, String), i64> = BTreeMap::new();
        for r in invoices {
            let Some(a) = pence(get(r, "amount")) else {
                continue;
            };
            let year = get(r, "year").to_string();
            *net.entry((year.clone(), get(r, "issuer").to_string()))
                .or_default() += a;
            *net.entry((year, get(r, "payer").to_string())).or_default() -= a;
        }
        let mut moved: BTreeMap<(String, String), i64> = BTreeMap::new();
        let mut pays: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut gets: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut count: BTreeMap<String, usize> = BTreeMap::new();
        for r in settlement {
            let Some(a) = pence(get(r, "amount")) else {
                continue;
            };
            let (year, payer, payee) = (get(r, "year"), get(r, "payer"), get(r, "payee"));
            if a <= 0 || payer == payee {
                problems.push(format!(
                    "settlement.csv: {year} {payer}->{payee}: a transfer must be positive, between two councils"
                ));
            }
            *moved
                .entry((year.to_string(), payee.to_string()))
                .or_default() += a;
            *moved
                .entry((year.to_string(), payer.to_string()))
                .or_default() -= a;
            pays.entry(year.to_string())
                .or_default()
                .insert(payer.to_string());
            gets.entry(year.to_string())
                .or_default()
                .insert(payee.to_string());
            *count.entry(year.to_string()).or_default() += 1;
        }
        let councils: BTreeSet<&(String, String)> = net.keys().chain(moved.keys()).collect();
        for k in councils {
            let (owed, given) = (
                net.get(k).copied().unwrap_or(0),
                moved.get(k).copied().unwrap_or(0),
            );
            if owed != given {
                problems.push(format!(
                    "settlement.csv: {} {} is owed {owed}p net by the invoices, the transfers give {given}p",
                    k.0, k.1
                ));
            }
        }
        for (year, n) in &count {
            let both: Vec<&String> = pays[year].intersection(&gets[year]).collect();
            if !both.is_empty() {
                problems.push(format!(
                    "settlement.csv: {year}: {both:?} both pay and receive"
                ));
            }
            let nonzero = net
                .iter()
                .filter(|((y, _), v)| y == year && **v != 0)
                .count();
            if *n > nonzero.saturating_sub(1) {
                problems.push(format!(
                    "settlement.csv: {year}: {n} transfers for {nonzero} councils with a net position"
                ));
            }
        }
    }
    problems
}

/// Fails the test, listing the problems, unless the output folder keeps the contract.
pub fn check_contract(out: &Path) {
    let problems = contract_problems(out);
    if problems.is_empty() {
        return;
    }
    let mut shown: Vec<&str> = problems.iter().take(40).map(String::as_str).collect();
    let more = format!("... and {} more", problems.len().saturating_sub(40));
    if problems.len() > 40 {
        shown.push(&more);
    }
    panic!(
        "{} contract problems in {}:\n{}",
        problems.len(),
        out.display(),
        shown.join("\n")
    );
}

/// The checker itself: the golden folder keeps the contract, and each kind of break is found.
#[cfg(test)]
mod checks {
    use super::*;
    use crate::support::{repo, scratch};

    /// A copy of the golden output folder, with `file`'s first `from` replaced by `to`.
    fn broken(file: &str, from: &str, to: &str) -> Vec<String> {
        let dir = scratch("contract-check");
        let golden = repo().join("tests/golden/wla");
        for entry in fs::read_dir(&golden).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
            }
        }
        let text = fs::read_to_string(dir.join(file)).unwrap();
        assert!(text.contains(from), "{file} should contain {from:?}");
        fs::write(dir.join(file), text.replacen(from, to, 1)).unwrap();
        contract_problems(&dir)
    }

    #[test]
    fn the_golden_outputs_keep_the_contract() {
        assert_eq!(
            contract_problems(&repo().join("tests/golden/wla")),
            Vec::<String>::new()
        );
    }

    #[test]
    fn each_kind_of_break_is_found() {
        let cases: &[(&str, &str, &str, &str)] = &[
            (
                "allocations.csv",
                "year,programme",
                "Year,programme",
                "allocations.csv: header",
            ),
            (
                "invoices.csv",
                "invoice,",
                "\u{feff}invoice,",
                "invoices.csv: starts with a byte-order mark",
            ),
            (
                "allocations.csv",
                "49166.67",
                "49166.7",
                "allocations.csv:2: amount \"49166.7\" is not an amount",
            ),
            (
                "allocations.csv",
                "2012/13,ADULTS,BAR",
                "2012-13,ADULTS,BAR",
                "allocations.csv:2: year \"2012-13\"",
            ),
            (
                "allocations.csv",
                "2012/13,ADULTS,BAR",
                "2012/13,ADULTS,ZZZ",
                "allocations.csv: rows are not sorted",
            ),
            ("benefits.csv", "700000.00,730000.00", ",730000.00", "NONE"),
            (
                "benefits.csv",
                "700000.00,730000.00",
                "700000.00,",
                "benefits.csv:2: achieved \"\"",
            ),
            (
                "carry_forward.csv",
                "469500.00,30500.00",
                "469500.00,30500.01",
                "carry_forward.csv: 2012/13 ADULTS: opening + guest charges",
            ),
            (
                "carry_forward.csv",
                ",actual,85000.00",
                ",done,85000.00",
                "carry_forward.csv: status \"done\"",
            ),
            (
                "allocations.csv",
                "ADULTS,BAR,member,365,365,49166.67",
                "ADULTS,BAR,member,365,365,49166.68",
                "allocations.csv: 2012/13 ADULTS adds up to",
            ),
            (
                "invoices.csv",
                "WLA/2012-13/BAR/BRE,",
                "WLA/2012-13/BAR/BRX,",
                "invoices.csv:2: number \"WLA/2012-13/BAR/BRX\" should be \"WLA/2012-13/BAR/BRE\"",
            ),
            (
                "invoices.csv",
                "WLA/2012-13/BAR/BRE,2012/13,BAR,BRE",
                "WLA/2012-13/BAR/BAR,2012/13,BAR,BAR",
                "invoices.csv:2: a council invoices itself",
            ),
        ];
        for (file, from, to, want) in cases {
            let problems = broken(file, from, to);
            if *want == "NONE" {
                assert_eq!(problems, Vec::<String>::new(), "{file}: {from} -> {to}");
            } else {
                assert!(
                    problems.iter().any(|p| p.starts_with(want)),
                    "{file}: {from} -> {to} should report {want:?}, got {problems:?}"
                );
            }
        }
    }

    #[test]
    fn a_missing_table_an_opening_and_an_overinvoiced_year_are_found() {
        let dir = scratch("contract-missing");
        fs::write(
            dir.join("carry_forward.csv"),
            "year,programme,status,opening,budget,grants,guest_charges,member_contributions,actual,closing\n\
             2012/13,P,actual,0.00,0.00,0.00,0.00,10.00,0.00,10.00\n\
             2013/14,P,forecast,9.00,0.00,0.00,0.00,0.00,0.00,9.00\n",
        )
        .unwrap();
        fs::write(
            dir.join("invoices.csv"),
            "invoice,year,issuer,payer,programme,amount\n\
             WLA/2012-13/A/B,2012/13,A,B,P,0.00\n",
        )
        .unwrap();
        let problems = contract_problems(&dir);
        for want in [
            "allocations.csv: missing",
            "carry_forward.csv: 2013 P: opening is not last year's closing",
            "allocations.csv: 2012/13 P adds up to 0p, carry_forward says 1000p",
            "invoices.csv: WLA/2012-13/A/B totals zero",
        ] {
            assert!(
                problems.iter().any(|p| p.starts_with(want)),
                "{want:?} not in {problems:?}"
            );
        }
        fs::write(
            dir.join("invoices.csv"),
            "invoice,year,issuer,payer,programme,amount\n\
             WLA/2012-13/A/B,2012/13,A,B,P,5.00\n",
        )
        .unwrap();
        let problems = contract_problems(&dir);
        assert!(
            problems
                .iter()
                .any(|p| p == "invoices.csv: 2012/13 invoices more (500p) than was allocated (0p)"),
            "{problems:?}"
        );
    }

    #[test]
    fn settlement_transfers_must_meet_the_net_positions() {
        let dir = scratch("contract-settlement");
        fs::write(
            dir.join("allocations.csv"),
            "year,programme,council,kind,days,weight,amount\n\
             2012/13,P,B,member,365,1,5.00\n\
             2012/13,P,C,member,365,1,3.00\n",
        )
        .unwrap();
        fs::write(
            dir.join("carry_forward.csv"),
            "year,programme,status,opening,budget,grants,guest_charges,member_contributions,actual,closing\n\
             2012/13,P,actual,0.00,0.00,0.00,0.00,8.00,8.00,0.00\n",
        )
        .unwrap();
        fs::write(
            dir.join("invoices.csv"),
            "invoice,year,issuer,payer,programme,amount\n\
             WLA/2012-13/A/B,2012/13,A,B,P,5.00\n\
             WLA/2012-13/A/C,2012/13,A,C,P,3.00\n",
        )
        .unwrap();
        let settle = |body: &str| {
            fs::write(
                dir.join("settlement.csv"),
                format!("year,payer,payee,amount\n{body}"),
            )
            .unwrap();
            contract_problems(&dir)
        };
        assert_eq!(
            settle("2012/13,B,A,5.00\n2012/13,C,A,3.00\n"),
            Vec::<String>::new()
        );
        let problems = settle("2012/13,B,A,5.00\n2012/13,C,A,2.00\n");
        assert!(
            problems.contains(&"settlement.csv: 2012/13 C is owed -300p net by the invoices, the transfers give -200p".to_string()),
            "{problems:?}"
        );
        let problems = settle("2012/13,B,A,5.00\n2012/13,C,B,3.00\n2012/13,B,A,3.00\n");
        assert!(
            problems.iter().any(|p| p.contains("both pay and receive")),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p
                    == "settlement.csv: 2012/13: 3 transfers for 3 councils with a net position"),
            "{problems:?}"
        );
        let problems = settle("2012/13,B,B,0.00\n2012/13,B,A,5.00\n2012/13,C,A,3.00\n");
        assert!(
            problems
                .iter()
                .any(|p| p.ends_with("a transfer must be positive, between two councils")),
            "{problems:?}"
        );
        fs::write(
            dir.join("monitoring.csv"),
            "year,programme,category,budget,budget_to_date,actual_to_date,forecast_outturn,variance,exception\n\
             2012/13,P,staff,1.00,1.0,1.00,1.00,0.00,\n",
        )
        .unwrap();
        let problems = settle("2012/13,B,A,5.00\n2012/13,C,A,3.00\n");
        assert_eq!(
            problems,
            vec![
                "monitoring.csv:2: budget_to_date \"1.0\" is not an amount like 1234.50"
                    .to_string()
            ]
        );
    }
}
