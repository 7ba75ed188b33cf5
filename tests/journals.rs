//! Postings and net settlement (issue 15, SPEC §7), checked in the programs accountants use:
//! `hledger check` and `hledger bal`, `ledger bal` and `bean-check` (with `bean-query` for
//! beancount's balances) read what accord wrote, for the fixture book and for generated
//! books, and their balances must be what the invoices say. The councils' CSV journals
//! balance per document and use the `accounts` table's codes; the settlement meets every
//! council's net position with the fewest transfers; bad `accounts` rows are errors at their
//! cells.

use crate::documents::{pdf_text, reports};
use crate::support::books::random_book;
use crate::support::*;
use accord::model::Book;
use accord::render::plain_text_accounting::beancount_account;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

/// One CSV output as rows of column -> value.
fn table(path: &Path) -> Vec<BTreeMap<String, String>> {
    crate::support::csv_records(path)
}

/// `-1234.5`, `1234.50 GBP`, `0` → pence.
fn pence(text: &str) -> i128 {
    let number = text.trim().trim_end_matches("GBP").trim().replace(',', "");
    let negative = number.starts_with('-');
    let digits = number.trim_start_matches('-');
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    assert!(fraction.len() <= 2, "{text} has more than pence");
    let value =
        whole.parse::<i128>().unwrap() * 100 + format!("{fraction:0<2}").parse::<i128>().unwrap();
    if negative {
        -value
    } else {
        value
    }
}

/// What every default account should hold, worked out from `invoices.csv` alone: the issuer
/// is owed each line and earns it, the payer spends it and owes it. Zero balances left out.
fn expected_balances(out: &Path) -> BTreeMap<String, i128> {
    let mut balances: BTreeMap<String, i128> = BTreeMap::new();
    for line in table(&out.join("invoices.csv")) {
        let (issuer, payer, programme) = (&line["issuer"], &line["payer"], &line["programme"]);
        let amount = pence(&line["amount"]);
        *balances
            .entry(format!("Assets:{issuer}:Receivable:{payer}"))
            .or_default() += amount;
        *balances
            .entry(format!("Income:{issuer}:WLA:{programme}"))
            .or_default() -= amount;
        *balances
            .entry(format!("Expenses:{payer}:WLA:{programme}"))
            .or_default() += amount;
        *balances
            .entry(format!("Liabilities:{payer}:Payable:{issuer}"))
            .or_default() -= amount;
    }
    balances.retain(|_, v| *v != 0);
    balances
}

fn tool(program: &str, args: &[&str]) -> String {
    let output = Command::new(program).args(args).output().unwrap_or_else(|e| {
        panic!("{program} runs (Debian packages hledger, ledger, beancount; .ci/run installs them): {e}")
    });
    assert!(
        output.status.success(),
        "{program} {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Balances as `account<sep>amount` lines, zeros left out.
fn parse_balances(text: &str, separator: char) -> BTreeMap<String, i128> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (account, amount) = l.rsplit_once(separator).unwrap();
            (
                account.trim().trim_matches('"').to_string(),
                pence(amount.trim_matches('"')),
            )
        })
        .filter(|(_, v)| *v != 0)
        .collect()
}

/// Runs the three tools over a reports folder and compares their balances with the invoices.
fn check_with_the_tools(out: &Path) {
    let ledger_file = out.join("journal.ledger");
    let ledger_file = ledger_file.to_str().unwrap();
    let beancount_file = out.join("journal.beancount");
    let beancount_file = beancount_file.to_str().unwrap();
    let want = expected_balances(out);

    // hledger: every check, strictly (declared accounts and commodity, ordered dates).
    tool(
        "hledger",
        &["-f", ledger_file, "check", "--strict", "ordereddates"],
    );
    let csv = tool(
        "hledger",
        &[
            "-f",
            ledger_file,
            "bal",
            "--flat",
            "--no-total",
            "-O",
            "csv",
        ],
    );
    let hledger: BTreeMap<String, i128> =
        parse_balances(&csv.lines().skip(1).collect::<Vec<_>>().join("\n"), ',');
    assert_eq!(hledger, want, "hledger bal of {ledger_file}");

    // ledger-cli, pedantic: an undeclared account would be an error.
    let text = tool(
        "ledger",
        &[
            "-f",
            ledger_file,
            "--pedantic",
            "bal",
            "--flat",
            "--no-total",
            "--balance-format",
            "%(account)|%(quantity(display_total))\n",
        ],
    );
    assert_eq!(
        parse_balances(&text, '|'),
        want,
        "ledger bal of {ledger_file}"
    );

    // beancount: bean-check says nothing and succeeds; bean-query's sums are the same.
    let checked = tool("bean-check", &[beancount_file]);
    assert_eq!(checked.trim(), "", "bean-check found problems");
    let text = tool(
        "bean-query",
        &[
            "-f",
            "csv",
            beancount_file,
            "SELECT account, sum(number) AS total GROUP BY account ORDER BY account",
        ],
    );
    let beancount = parse_balances(&text.lines().skip(1).collect::<Vec<_>>().join("\n"), ',');
    let want_beancount: BTreeMap<String, i128> = want
        .iter()
        .map(|(a, v)| (beancount_account(a), *v))
        .collect();
    assert_eq!(beancount, want_beancount, "bean-query of {beancount_file}");
}

/// Every council's CSV journal: each document balances in each council's journal, and a
/// council's debits and credits are the invoices it pays and raises.
fn check_csv_journals(out: &Path, councils: &[String], register: Option<&Path>) {
    // Every document: those the register holds and those `issue.csv` says to send now.
    let mut invoices = register.map(table).unwrap_or_default();
    invoices.extend(table(&out.join("issue.csv")));
    for council in councils {
        let rows = table(&out.join("journals").join(format!("{council}.csv")));
        let mut by_document: BTreeMap<&str, (i128, i128)> = BTreeMap::new();
        for r in &rows {
            let entry = by_document.entry(&r["document"]).or_default();
            entry.0 += pence(&r["debit"]);
            entry.1 += pence(&r["credit"]);
        }
        for (document, (debit, credit)) in &by_document {
            assert_eq!(
                debit, credit,
                "{document} does not balance in {council}'s journal"
            );
        }
        // The debits each document should post: the issuer debits what it is owed and any
        // negative line; the payer debits each positive line and, for a negative total, what
        // it is owed back.
        let mut want: BTreeMap<&str, i128> = BTreeMap::new();
        let mut lines: BTreeMap<&str, Vec<&BTreeMap<String, String>>> = BTreeMap::new();
        for i in invoices
            .iter()
            .filter(|i| &i["issuer"] == council || &i["payer"] == council)
        {
            lines.entry(&i["document"]).or_default().push(i);
        }
        for (document, lines) in &lines {
            let amounts: Vec<i128> = lines.iter().map(|l| pence(&l["amount"])).collect();
            let total: i128 = amounts.iter().sum();
            let debits = if &lines[0]["issuer"] == council {
                total.max(0) + amounts.iter().filter(|a| **a < 0).map(|a| -a).sum::<i128>()
            } else {
                amounts.iter().filter(|a| **a > 0).sum::<i128>() + (-total).max(0)
            };
            want.insert(document, debits);
        }
        let got: BTreeMap<&str, i128> = by_document
            .iter()
            .map(|(d, (debit, _))| (*d, *debit))
            .collect();
        assert_eq!(got, want, "{council}'s journal posts exactly its documents");
    }
}

/// The fewest transfers by trying every way (each step settles the first open council with
/// one of the opposite sign); exponential, for a few councils only.
fn brute_force_fewest(values: &mut [i128], start: usize) -> usize {
    let Some(first) = (start..values.len()).find(|&i| values[i] != 0) else {
        return 0;
    };
    let mut best = usize::MAX;
    for j in first + 1..values.len() {
        if values[j].signum() == -values[first].signum() {
            values[j] += values[first];
            best = best.min(1 + brute_force_fewest(values, first + 1));
            values[j] -= values[first];
        }
    }
    best
}

/// `settlement.csv` against the invoices: each year's transfers meet every council's net
/// position exactly, no council both pays and receives, and (for up to 9 councils with a
/// position) no settlement has fewer transfers.
fn check_settlement(out: &Path) {
    let mut net: BTreeMap<(String, String), i128> = BTreeMap::new();
    for i in table(&out.join("invoices.csv")) {
        let amount = pence(&i["amount"]);
        *net.entry((i["year"].clone(), i["issuer"].clone()))
            .or_default() += amount;
        *net.entry((i["year"].clone(), i["payer"].clone()))
            .or_default() -= amount;
    }
    let transfers = table(&out.join("settlement.csv"));
    let mut moved: BTreeMap<(String, String), i128> = BTreeMap::new();
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for t in &transfers {
        let amount = pence(&t["amount"]);
        assert!(amount > 0 && t["payer"] != t["payee"], "{t:?}");
        *moved
            .entry((t["year"].clone(), t["payee"].clone()))
            .or_default() += amount;
        *moved
            .entry((t["year"].clone(), t["payer"].clone()))
            .or_default() -= amount;
        *count.entry(&t["year"]).or_default() += 1;
        let payer = (t["year"].clone(), t["payer"].clone());
        let payee = (t["year"].clone(), t["payee"].clone());
        assert!(
            net[&payer] < 0 && net[&payee] > 0,
            "{t:?} against the positions"
        );
    }
    net.retain(|_, v| *v != 0);
    moved.retain(|_, v| *v != 0);
    assert_eq!(moved, net, "the transfers meet every net position");
    let years: std::collections::BTreeSet<&String> = net.keys().map(|(y, _)| y).collect();
    for year in years {
        let mut values: Vec<i128> = net
            .iter()
            .filter(|((y, _), _)| y == year)
            .map(|(_, v)| *v)
            .collect();
        let made = count.get(year.as_str()).copied().unwrap_or(0);
        assert!(
            made < values.len(),
            "{year}: {made} transfers for {} positions",
            values.len()
        );
        if values.len() <= 9 {
            assert_eq!(
                made,
                brute_force_fewest(&mut values, 0),
                "{year}: not the fewest transfers"
            );
        }
    }
}

#[test]
fn the_fixtures_journals_are_read_by_hledger_ledger_and_beancount() {
    let out = reports();
    check_with_the_tools(out);
    let councils: Vec<String> = table(&fixture().join("councils.csv"))
        .iter()
        .map(|c| c["code"].clone())
        .collect();
    check_csv_journals(out, &councils, Some(&fixture().join("issued.csv")));
    check_settlement(out);
}

#[test]
fn the_fixtures_journal_and_settlement_match_their_golden_files() {
    let out = reports();
    let golden = repo().join("tests/golden/wla");
    for file in ["settlement.csv", "journals/HRW.csv"] {
        let got = fs::read_to_string(out.join(file)).unwrap();
        if std::env::var_os("ACCORD_BLESS").is_some() {
            fs::create_dir_all(golden.join("journals")).unwrap();
            fs::write(golden.join(file), &got).unwrap();
            continue;
        }
        let want = fs::read_to_string(golden.join(file)).unwrap_or_else(|_| {
            panic!("golden file {file} is missing; run the tests with ACCORD_BLESS=1 once and review it")
        });
        assert_eq!(got, want, "{file} differs from tests/golden/wla/{file}");
    }
}

/// A generated book with some codes made awkward for beancount (`_` inside, `-` or `_` in
/// front), so the name mapping is exercised through the tools.
fn with_awkward_codes(mut book: Book, seed: u64) -> Book {
    let rename = |code: &str| -> String {
        match (seed % 3, code) {
            (0, "C1") => "C_1".into(),
            (1, "C1") => "-C1".into(),
            (2, "C1") => "_C1".into(),
            (_, "P0") => "P_0".into(),
            (_, "C2") => "2-C".into(),
            _ => code.to_string(),
        }
    };
    for c in &mut book.councils {
        c.code = rename(&c.code);
    }
    for p in &mut book.programmes {
        p.code = rename(&p.code);
        p.lead = rename(&p.lead);
    }
    for s in &mut book.participation {
        s.council = rename(&s.council);
        s.programme = rename(&s.programme);
    }
    for b in &mut book.budget {
        b.programme = rename(&b.programme);
    }
    for g in &mut book.grants {
        g.programme = rename(&g.programme);
    }
    for a in &mut book.actuals {
        a.programme = rename(&a.programme);
    }
    for s in &mut book.support_in_kind {
        s.provider = rename(&s.provider);
    }
    for b in &mut book.balances {
        b.programme = rename(&b.programme);
    }
    for b in &mut book.benefits {
        b.programme = rename(&b.programme);
        b.council = rename(&b.council);
    }
    for d in &mut book.drivers {
        d.programme = rename(&d.programme);
        d.council = rename(&d.council);
    }
    for p in &mut book.profile {
        p.programme = rename(&p.programme);
    }
    book.settings.host = rename(&book.settings.host);
    book
}

#[test]
fn generated_books_journals_are_read_by_the_tools() {
    let dir = scratch("journals-generated");
    let mut checked = 0;
    let mut refused = Vec::new();
    // Which of the three renamings (`C_1`, `-C1`, `_C1`) went through the tools.
    let mut kinds = std::collections::BTreeSet::new();
    for seed in 0..24u64 {
        let book = with_awkward_codes(random_book(seed), seed);
        let input = dir.join(format!("book-{seed}"));
        crate::support::books::write_csv_book(&book, &input);
        let out = dir.join(format!("reports-{seed}"));
        let output = accord(&[
            "run",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        if !output.status.success() {
            // The generator can make books a user could not write (see properties.rs).
            refused.push(
                stderr(&output)
                    .lines()
                    .find(|l| l.contains("error"))
                    .unwrap_or_default()
                    .to_string(),
            );
            continue;
        }
        check_with_the_tools(&out);
        let councils: Vec<String> = book.councils.iter().map(|c| c.code.clone()).collect();
        check_csv_journals(&out, &councils, None);
        check_settlement(&out);
        checked += 1;
        kinds.insert(seed % 3);
    }
    assert!(
        checked >= 8,
        "only {checked} generated books ran: {refused:#?}"
    );
    assert_eq!(kinds.len(), 3, "every renaming was checked");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn the_accounts_table_gives_the_journals_their_codes() {
    let dir = scratch("accounts");
    let book = copy_fixture(&dir);
    fs::write(
        book.join("accounts.csv"),
        "council,role,programme,account\n\
         HRW,expense,OFFICE,5100-WLA\n\
         HRW,expense,,5199\n\
         HRW,payable,,2100\n\
         EAL,receivable,,1100\n\
         EAL,income,SIK,4900\n",
    )
    .unwrap();
    let out = dir.join("reports");
    run_into(&book, &out);
    let hrw = table(&out.join("journals/HRW.csv"));
    let paying_eal: Vec<&BTreeMap<String, String>> = hrw
        .iter()
        .filter(|r| r["document"] == "WLA/2012-13/EAL/HRW")
        .collect();
    let accounts: Vec<(&str, &str, &str)> = paying_eal
        .iter()
        .map(|r| {
            (
                r["account"].as_str(),
                r["debit"].as_str(),
                r["credit"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        accounts,
        [
            ("5199", "49166.66", "0.00"),
            ("5100-WLA", "30000.00", "0.00"),
            ("5199", "10000.00", "0.00"),
            ("2100", "0.00", "89166.66"),
        ],
        "HRW's postings for Ealing's 2012/13 invoice"
    );
    assert!(paying_eal.iter().all(|r| r["counterparty"] == "EAL"));
    let eal = table(&out.join("journals/EAL.csv"));
    let raising: Vec<(&str, &str)> = eal
        .iter()
        .filter(|r| r["document"] == "WLA/2012-13/EAL/HRW")
        .map(|r| (r["account"].as_str(), r["description"].as_str()))
        .collect();
    assert_eq!(
        raising,
        [
            ("1100", "Invoice to London Borough of Harrow"),
            (
                "Income:EAL:WLA:ADULTS",
                "Adult Care Services Improvement and Efficiency"
            ),
            ("Income:EAL:WLA:OFFICE", "WLA Office"),
            ("4900", "Support in kind from London Borough of Ealing"),
        ]
    );
    // The plain-text journals keep the default names, and the tools still agree.
    let ledger = fs::read_to_string(out.join("journal.ledger")).unwrap();
    assert!(ledger.contains("Liabilities:HRW:Payable:EAL") && !ledger.contains("5100-WLA"));
    check_with_the_tools(&out);
}

#[test]
fn bad_accounts_rows_are_errors_at_their_cells() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "XYZ,expense,OFFICE,5100",
            "accounts.csv:2:1: error: \"XYZ\" is not a council of this book",
            "unknown council",
        ),
        (
            "HRW,expense,NOPE,5100",
            "accounts.csv:2:3: error: \"NOPE\" is not a programme of this book",
            "unknown programme",
        ),
        (
            "HRW,expenses,OFFICE,5100",
            "accounts.csv:2:2: error: \"expenses\" is not a role; write one of: expense, income, receivable, payable",
            "role not one of the four",
        ),
        (
            "HRW,,OFFICE,5100",
            "accounts.csv:2:2: error: role is empty",
            "blank role",
        ),
        (
            "HRW,payable,OFFICE,2100",
            "accounts.csv:2:3: error: a payable account is one per council",
            "programme on a payable row",
        ),
        (
            "HRW,expense,OFFICE,",
            "accounts.csv:2:4: error: account is empty",
            "blank account",
        ),
        (
            "HRW,expense,OFFICE,5100\nHRW,Expense,OFFICE,5101",
            "accounts.csv:3:4: error: HRW already has its expense account for OFFICE at",
            "two accounts for the same council, role and programme",
        ),
        (
            "EAL,receivable,,1100\nEAL,receivable,,1101",
            "accounts.csv:3:4: error: EAL already has its receivable account at",
            "two receivable accounts",
        ),
    ];
    for (rows, message, what) in cases {
        let dir = scratch("bad-accounts");
        let book = copy_fixture(&dir);
        fs::write(
            book.join("accounts.csv"),
            format!("council,role,programme,account\n{rows}\n"),
        )
        .unwrap();
        let out = dir.join("reports");
        let output = accord(&[
            "run",
            book.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(output.status.code(), Some(1), "{what}: exit status");
        let text = stderr(&output);
        assert!(
            text.contains(message),
            "{what}: expected {message:?} in:\n{text}"
        );
        assert!(!out.exists(), "{what}: nothing is written");
        let _ = fs::remove_dir_all(&dir);
    }
}

#[test]
fn every_statement_shows_its_net_position_and_transfers() {
    let out = reports();
    let transfers = table(&out.join("settlement.csv"));
    let year = "2013/14";
    let folder = year.replace('/', "-");
    let mut net: BTreeMap<String, i128> = BTreeMap::new();
    for i in table(&out.join("invoices.csv"))
        .iter()
        .filter(|i| i["year"] == year)
    {
        *net.entry(i["issuer"].clone()).or_default() += pence(&i["amount"]);
        *net.entry(i["payer"].clone()).or_default() -= pence(&i["amount"]);
    }
    for (council, position) in &net {
        let statements = out.join(&folder).join("statements");
        let mut workbook: calamine::Xlsx<_> =
            calamine::open_workbook(statements.join(format!("{council}.xlsx"))).unwrap();
        let sheet = calamine::Reader::worksheet_range(&mut workbook, "Statement").unwrap();
        let wanted = *position as f64 / 100.0;
        assert!(
            sheet.rows().any(|r| {
                matches!(&r[0], calamine::Data::String(s) if s == "Net position")
                    && matches!(r[1], calamine::Data::Float(v) if (v - wanted).abs() < 0.005)
            }),
            "{council}'s {year} workbook shows its net position {wanted}"
        );
        let text = pdf_text(&statements.join(format!("{council}.pdf")));
        let shown = crate::documents::pounds(&format!(
            "{}.{:02}",
            position.abs() / 100,
            position.abs() % 100
        ));
        let words = if *position < 0 {
            "it owes"
        } else {
            "it is owed"
        };
        assert!(
            text.contains(&format!("Settlement: {words} {shown} net")),
            "{council}'s {year} statement shows its net position {shown}:\n{text}"
        );
        for t in transfers.iter().filter(|t| t["year"] == year) {
            let (direction, other) = if &t["payer"] == council {
                ("Pays to", &t["payee"])
            } else if &t["payee"] == council {
                ("Receives from", &t["payer"])
            } else {
                continue;
            };
            let amount = crate::documents::pounds(&t["amount"]);
            let line = text
                .lines()
                .find(|l| l.contains(direction) && l.contains(&format!("({other})")))
                .unwrap_or_else(|| panic!("{council}: no line {direction} {other}:\n{text}"));
            assert!(
                line.contains(&amount),
                "{council}: {line} should show {amount}"
            );
        }
    }
}
