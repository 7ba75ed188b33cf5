//! A generator of random valid books for the property tests: councils joining and leaving,
//! guests, programmes on equal, weighted, fixed (percentages that change within a year, 0%
//! allowed) and driver bases with several stints each, carry_forward apply, hold or settle,
//! books with no Office, budgets, grants, support in kind, actuals and opening balances (and,
//! for books run during a year, `actuals_to` and monthly profiles). Deterministic from a seed,
//! so a failing case
//! is reproduced by its seed.

use accord::diag::Place;
use accord::model::*;
use accord::money::Money;
use accord::values::Year;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A small deterministic random source (splitmix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `low..=high`.
    pub fn range(&mut self, low: i64, high: i64) -> i64 {
        low + (self.next() % ((high - low + 1) as u64)) as i64
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

fn place() -> Place {
    Place::File {
        file: "generated".into(),
    }
}

fn date_in(rng: &mut Rng, first: Year, last: Year) -> NaiveDate {
    let days = (last.last_day() - first.first_day()).num_days();
    first.first_day() + chrono::Duration::days(rng.range(0, days))
}

fn money(rng: &mut Rng, low: i64, high: i64) -> Money {
    Money::from_pence(rng.range(low, high) as i128)
}

pub fn random_book(seed: u64) -> Book {
    let mut rng = Rng::new(seed);
    let first = Year(rng.range(2010, 2016) as i32);
    let years: Vec<Year> = (0..rng.range(1, 4))
        .map(|i| Year(first.0 + i as i32))
        .collect();
    let last = *years.last().unwrap();
    let council_count = rng.range(2, 8);
    let mut councils = Vec::new();
    for i in 0..council_count {
        let kind = if i > 0 && rng.chance(20) {
            CouncilKind::Guest
        } else {
            CouncilKind::Member
        };
        let from = rng.chance(30).then(|| date_in(&mut rng, first, last));
        let to = if rng.chance(30) {
            let d = date_in(&mut rng, first, last);
            Some(from.map_or(d, |f| d.max(f)))
        } else {
            None
        };
        councils.push(Council {
            code: format!("C{i}"),
            name: format!("Council {i}"),
            kind,
            membership: DateRange { from, to },
            place: place(),
        });
    }
    let always: Vec<String> = councils
        .iter()
        .filter(|c| c.membership == DateRange::ALWAYS)
        .map(|c| c.code.clone())
        .collect();
    let no_office = !always.is_empty() && rng.chance(20);
    let mut programmes = vec![Programme {
        code: "OFFICE".into(),
        name: "WLA Office".into(),
        lead: "C0".into(),
        basis: Basis::Equal,
        carry_forward: CarryForward::Apply,
        place: place(),
    }];
    for p in 0..rng.range(1, 4) {
        programmes.push(Programme {
            code: format!("P{p}"),
            name: format!("Programme {p}"),
            lead: format!("C{}", rng.range(0, council_count - 1)),
            basis: match rng.range(0, 3) {
                0 => Basis::Weighted,
                1 if !always.is_empty() => Basis::Fixed,
                2 => Basis::Driver,
                _ => Basis::Equal,
            },
            carry_forward: match rng.range(0, 9) {
                0..=4 => CarryForward::Apply,
                5 | 6 => CarryForward::Hold,
                _ => CarryForward::Settle,
            },
            place: place(),
        });
    }
    let mut participation = Vec::new();
    for programme in programmes.iter().skip(1) {
        if programme.basis == Basis::Fixed {
            // Percentages that change on a day within the book: each split totals 100 and
            // may give a council 0.
            let change = date_in(&mut rng, first, last);
            for (range, percentages) in [
                (
                    DateRange {
                        from: None,
                        to: Some(change),
                    },
                    percentages(&mut rng, always.len()),
                ),
                (
                    DateRange {
                        from: change.succ_opt(),
                        to: None,
                    },
                    percentages(&mut rng, always.len()),
                ),
            ] {
                for (code, pct) in always.iter().zip(percentages) {
                    participation.push(Participation {
                        programme: programme.code.clone(),
                        council: code.clone(),
                        range,
                        weight: Decimal::from(pct),
                        place: place(),
                    });
                }
            }
            continue;
        }
        for council in &councils {
            if !rng.chance(70) {
                continue;
            }
            // One or two stints that do not overlap.
            let split = date_in(&mut rng, first, last);
            let stints = if rng.chance(30) {
                vec![
                    DateRange {
                        from: None,
                        to: Some(split),
                    },
                    DateRange {
                        from: split.succ_opt(),
                        to: None,
                    },
                ]
            } else if rng.chance(50) {
                vec![DateRange {
                    from: Some(split),
                    to: None,
                }]
            } else {
                vec![DateRange::ALWAYS]
            };
            for stint in stints {
                let weight = match programme.basis {
                    Basis::Equal | Basis::Driver => Decimal::ONE,
                    _ => Decimal::new(rng.range(1, 200), 1),
                };
                participation.push(Participation {
                    programme: programme.code.clone(),
                    council: council.code.clone(),
                    range: stint.intersect(council.membership),
                    weight,
                    place: place(),
                });
            }
        }
    }
    let mut budget = Vec::new();
    let mut grants = Vec::new();
    let mut actuals = Vec::new();
    let actual_years = rng.range(0, years.len() as i64) as usize;
    for (y, &year) in years.iter().enumerate() {
        for programme in &programmes {
            for l in 0..rng.range(0, 3) {
                budget.push(BudgetLine {
                    year,
                    programme: programme.code.clone(),
                    line: format!("line {l}"),
                    category: ["staff", "running", ""][rng.range(0, 2) as usize].into(),
                    amount: money(&mut rng, -100_000, 50_000_000),
                    place: place(),
                });
            }
            if rng.chance(30) {
                grants.push(Grant {
                    year,
                    programme: programme.code.clone(),
                    source: "Capital Ambition".into(),
                    amount: money(&mut rng, 0, 20_000_000),
                    place: place(),
                });
            }
            if y < actual_years && rng.chance(80) {
                actuals.push(Actual {
                    year,
                    programme: programme.code.clone(),
                    category: "staff".into(),
                    amount: money(&mut rng, -1_000, 40_000_000),
                    place: place(),
                });
            }
        }
    }
    // Every book has at least one budget line in its first and last years.
    let anchor = if no_office { "P0" } else { "OFFICE" };
    if no_office
        && !programmes
            .iter()
            .any(|p| p.code == "P0" && p.basis == Basis::Fixed)
    {
        // Someone must take part in a budget's year: one council all through the book.
        participation.retain(|p| !(p.programme == "P0" && p.council == always[0]));
        participation.push(Participation {
            programme: "P0".into(),
            council: always[0].clone(),
            range: DateRange::ALWAYS,
            weight: Decimal::ONE,
            place: place(),
        });
    }
    for year in [first, last] {
        budget.push(BudgetLine {
            year,
            programme: anchor.into(),
            line: "office".into(),
            category: "staff".into(),
            amount: money(&mut rng, 0, 18_000_000),
            place: place(),
        });
    }
    let mut support_in_kind = Vec::new();
    for &year in &years {
        for _ in 0..rng.range(0, 3) {
            support_in_kind.push(SupportInKind {
                year,
                provider: format!("C{}", rng.range(0, council_count - 1)),
                category: "accommodation".into(),
                amount: money(&mut rng, 0, 6_000_000),
                place: place(),
            });
        }
    }
    let mut balances = Vec::new();
    for p in &programmes {
        if rng.chance(50) {
            balances.push(Balance {
                programme: p.code.clone(),
                year: first,
                opening: money(&mut rng, -500_000, 5_000_000),
                place: place(),
            });
        }
    }
    let mut drivers = Vec::new();
    for programme in programmes.iter().filter(|p| p.basis == Basis::Driver) {
        for &year in &years {
            let mut codes: Vec<&str> = participation
                .iter()
                .filter(|s| s.programme == programme.code && s.range.days_in(year) > 0)
                .map(|s| s.council.as_str())
                .collect();
            codes.sort();
            codes.dedup();
            let mut values: Vec<i64> = codes
                .iter()
                .map(|_| {
                    if rng.chance(15) {
                        0
                    } else {
                        rng.range(1, 70_000)
                    }
                })
                .collect();
            if values.iter().all(|v| *v == 0) {
                if let Some(v) = values.first_mut() {
                    *v = 1;
                }
            }
            for (code, value) in codes.into_iter().zip(values) {
                drivers.push(Driver {
                    year,
                    programme: programme.code.clone(),
                    council: code.to_string(),
                    value: Decimal::from(value),
                    place: place(),
                });
            }
        }
    }
    // Savings, some for a programme as a whole (blank council), some with no target.
    let mut benefits = Vec::new();
    for &year in &years {
        for programme in programmes.iter().skip(1) {
            if !rng.chance(40) {
                continue;
            }
            let council = if rng.chance(30) {
                String::new()
            } else {
                format!("C{}", rng.range(0, council_count - 1))
            };
            benefits.push(Benefit {
                year,
                programme: programme.code.clone(),
                council,
                benefit_type: [
                    BenefitType::Cashable,
                    BenefitType::NonCashable,
                    BenefitType::CostAvoidance,
                ][rng.range(0, 2) as usize],
                target: rng.chance(70).then(|| money(&mut rng, 0, 9_000_000)),
                achieved: money(&mut rng, 0, 9_000_000),
                place: place(),
            });
        }
    }
    if no_office {
        programmes.retain(|p| p.code != "OFFICE");
        budget.retain(|b| b.programme != "OFFICE");
        grants.retain(|g| g.programme != "OFFICE");
        actuals.retain(|a| a.programme != "OFFICE");
        balances.retain(|b| b.programme != "OFFICE");
    }
    let settings = Settings {
        office: if no_office {
            String::new()
        } else {
            "OFFICE".into()
        },
        host: "C0".into(),
        sik_basis: if rng.chance(50) {
            SikBasis::Equal
        } else {
            SikBasis::Proportional
        },
        ..Settings::default()
    };
    let years = (first.0..=last.0).map(Year).collect();
    Book {
        label: format!("generated-{seed}"),
        councils,
        programmes,
        participation,
        budget,
        grants,
        support_in_kind,
        actuals,
        cost_centres: Vec::new(),
        balances,
        benefits,
        settings,
        profile: Vec::new(),
        drivers,
        years,
        cycle: Default::default(),
        accounts: Vec::new(),
    }
}

/// A random book run during a year (SPEC §9): `actuals_to` on a random day of its years, no
/// `actuals` rows for the years that start after it, more actuals (some without a category) in
/// the year that holds it, and a random monthly profile (whole or quarter percentages totalling
/// 100) for some programmes.
pub fn random_book_in_year(seed: u64) -> Book {
    let mut book = random_book(seed);
    let mut rng = Rng::new(seed ^ 0xA11_0C8);
    let (first, last) = (book.years[0], *book.years.last().unwrap());
    let day = date_in(&mut rng, first, last);
    book.settings.actuals_to = Some(day);
    book.actuals.retain(|a| a.year.first_day() <= day);
    let current = Year::of_date(day);
    for programme in &book.programmes {
        if rng.chance(60) {
            book.actuals.push(Actual {
                year: current,
                programme: programme.code.clone(),
                category: ["staff", "running", ""][rng.range(0, 2) as usize].into(),
                amount: money(&mut rng, -1_000, 30_000_000),
                place: place(),
            });
        }
        if rng.chance(50) {
            let quarters = rng.chance(50);
            let units = if quarters { 400 } else { 100 };
            let mut months = [0i64; 12];
            for _ in 0..units {
                months[rng.range(0, 11) as usize] += 1;
            }
            for (i, units) in months.iter().enumerate() {
                if *units > 0 || rng.chance(30) {
                    book.profile.push(ProfileMonth {
                        programme: programme.code.clone(),
                        month: i as u32 + 1,
                        percent: if quarters {
                            Decimal::new(units * 25, 2)
                        } else {
                            Decimal::from(*units)
                        },
                        place: place(),
                    });
                }
            }
        }
    }
    book
}

/// `count` whole percentages that total 100, some of them possibly 0.
fn percentages(rng: &mut Rng, count: usize) -> Vec<i64> {
    let mut left = 100;
    let mut out = Vec::new();
    for i in 0..count {
        let pct = if i + 1 == count {
            left
        } else if rng.chance(25) {
            0
        } else {
            rng.range(0, left)
        };
        left -= pct;
        out.push(pct);
    }
    out
}

/// The same book with every table's rows in another order.
pub fn shuffled(book: &Book, seed: u64) -> Book {
    let mut rng = Rng::new(seed ^ 0x5EED);
    let mut b = book.clone();
    rng.shuffle(&mut b.councils);
    rng.shuffle(&mut b.programmes);
    rng.shuffle(&mut b.participation);
    rng.shuffle(&mut b.budget);
    rng.shuffle(&mut b.grants);
    rng.shuffle(&mut b.support_in_kind);
    rng.shuffle(&mut b.actuals);
    rng.shuffle(&mut b.balances);
    rng.shuffle(&mut b.benefits);
    rng.shuffle(&mut b.profile);
    rng.shuffle(&mut b.drivers);
    b
}

/// Writes a book as the CSV folder a user would give accord, one file per table.
pub fn write_csv_book(book: &Book, dir: &std::path::Path) {
    use std::fmt::Write as _;
    std::fs::create_dir_all(dir).unwrap();
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let mut files: Vec<(&str, String)> = Vec::new();

    let mut text = String::from("code,name,kind,joined,left\n");
    for c in &book.councils {
        let kind = match c.kind {
            CouncilKind::Member => "member",
            CouncilKind::Guest => "guest",
        };
        let (from, to) = (date(c.membership.from), date(c.membership.to));
        writeln!(text, "{},{},{kind},{from},{to}", c.code, c.name).unwrap();
    }
    files.push(("councils", text));

    let mut text = String::from("code,name,lead,basis,carry_forward\n");
    for p in &book.programmes {
        let basis = match p.basis {
            Basis::Equal => "equal",
            Basis::Weighted => "weighted",
            Basis::Fixed => "fixed",
            Basis::Driver => "driver",
        };
        let carry = match p.carry_forward {
            CarryForward::Apply => "apply",
            CarryForward::Hold => "hold",
            CarryForward::Settle => "settle",
        };
        writeln!(text, "{},{},{},{basis},{carry}", p.code, p.name, p.lead).unwrap();
    }
    files.push(("programmes", text));

    let mut text = String::from("programme,council,from,to,weight\n");
    for s in &book.participation {
        let weighted = book
            .programmes
            .iter()
            .any(|p| p.code == s.programme && matches!(p.basis, Basis::Weighted | Basis::Fixed));
        let weight = if weighted {
            s.weight.to_string()
        } else {
            String::new()
        };
        let (from, to) = (date(s.range.from), date(s.range.to));
        writeln!(text, "{},{},{from},{to},{weight}", s.programme, s.council).unwrap();
    }
    files.push(("participation", text));

    let mut text = String::from("year,programme,line,category,amount\n");
    for b in &book.budget {
        writeln!(
            text,
            "{},{},{},{},{}",
            b.year, b.programme, b.line, b.category, b.amount
        )
        .unwrap();
    }
    files.push(("budget", text));

    let mut text = String::from("year,programme,source,amount\n");
    for g in &book.grants {
        writeln!(text, "{},{},{},{}", g.year, g.programme, g.source, g.amount).unwrap();
    }
    files.push(("grants", text));

    let mut text = String::from("year,provider,category,amount\n");
    for s in &book.support_in_kind {
        writeln!(
            text,
            "{},{},{},{}",
            s.year, s.provider, s.category, s.amount
        )
        .unwrap();
    }
    files.push(("support_in_kind", text));

    let mut text = String::from("year,programme,category,amount\n");
    for a in &book.actuals {
        writeln!(
            text,
            "{},{},{},{}",
            a.year, a.programme, a.category, a.amount
        )
        .unwrap();
    }
    files.push(("actuals", text));

    let mut text = String::from("programme,year,opening\n");
    for b in &book.balances {
        writeln!(text, "{},{},{}", b.programme, b.year, b.opening).unwrap();
    }
    files.push(("balances", text));

    let sik_basis = match book.settings.sik_basis {
        SikBasis::Equal => "equal",
        SikBasis::Proportional => "proportional",
    };
    let office = if book.settings.office.is_empty() {
        "none"
    } else {
        book.settings.office.as_str()
    };
    let mut text = format!(
        "key,value\noffice,{office}\nhost,{}\nsik_basis,{sik_basis}\n",
        book.settings.host
    );
    if let Some(day) = book.settings.actuals_to {
        writeln!(text, "actuals_to,{day}").unwrap();
    }
    files.push(("settings", text));

    if !book.profile.is_empty() {
        let mut text = String::from("programme,month,percent\n");
        for p in &book.profile {
            writeln!(text, "{},{},{}", p.programme, p.month, p.percent).unwrap();
        }
        files.push(("profile", text));
    }
    let mut text = String::from("year,programme,council,type,target,achieved\n");
    for b in &book.benefits {
        let target = b.target.map(|t| t.to_string()).unwrap_or_default();
        writeln!(
            text,
            "{},{},{},{},{target},{}",
            b.year,
            b.programme,
            b.council,
            b.benefit_type.as_str(),
            b.achieved
        )
        .unwrap();
    }
    files.push(("benefits", text));

    let mut text = String::from("year,programme,council,value\n");
    for d in &book.drivers {
        writeln!(text, "{},{},{},{}", d.year, d.programme, d.council, d.value).unwrap();
    }
    files.push(("drivers", text));

    for (name, text) in files {
        std::fs::write(dir.join(format!("{name}.csv")), text).unwrap();
    }
}

/// Loads a book written by `write_csv_book`, first deleting the lines the checks refuse: the
/// generator makes books the engine takes but a user could not write (a stint that ends
/// before it starts, a budget for a year nobody takes part in). Each pass can uncover more
/// (removing a first year's budget moves the book's years). `Err` holds the errors left: one
/// with no line to delete, or what remains after twelve passes.
pub fn load_without_refused_lines(folder: &std::path::Path) -> Result<Book, Vec<String>> {
    for _ in 0..12 {
        let (book, diagnostics) = accord::pipeline::load(folder);
        if let Some(book) = book {
            return Ok(book);
        }
        let mut refused: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
        for d in diagnostics.errors() {
            match &d.place {
                Some(Place::Csv {
                    file, line_number, ..
                }) => refused
                    .entry(file.to_string())
                    .or_default()
                    .push(*line_number),
                _ => return Err(vec![format!("an error with no line: {d}")]),
            }
        }
        for (file, lines) in refused {
            let text = std::fs::read_to_string(&file).unwrap();
            let kept: Vec<&str> = text
                .lines()
                .enumerate()
                .filter(|(i, _)| !lines.contains(&(i + 1)))
                .map(|(_, line)| line)
                .collect();
            std::fs::write(&file, kept.join("\n") + "\n").unwrap();
        }
    }
    let (_, diagnostics) = accord::pipeline::load(folder);
    Err(diagnostics.errors().map(|d| d.to_string()).collect())
}
