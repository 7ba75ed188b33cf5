//! A generator of random valid books for the property tests: councils joining and leaving,
//! guests, programmes on equal and weighted bases with several stints each, budgets, grants,
//! support in kind, actuals and opening balances. Deterministic from a seed, so a failing case
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
            basis: if rng.chance(50) {
                Basis::Weighted
            } else {
                Basis::Equal
            },
            carry_forward: if rng.chance(70) {
                CarryForward::Apply
            } else {
                CarryForward::Hold
            },
            place: place(),
        });
    }
    let mut participation = Vec::new();
    for programme in programmes.iter().skip(1) {
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
                    Basis::Equal => Decimal::ONE,
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
    for year in [first, last] {
        budget.push(BudgetLine {
            year,
            programme: "OFFICE".into(),
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
    let settings = Settings {
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
        benefits: Vec::new(),
        settings,
        years,
        accounts: Vec::new(),
    }
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
        };
        let carry = match p.carry_forward {
            CarryForward::Apply => "apply",
            CarryForward::Hold => "hold",
        };
        writeln!(text, "{},{},{},{basis},{carry}", p.code, p.name, p.lead).unwrap();
    }
    files.push(("programmes", text));

    let mut text = String::from("programme,council,from,to,weight\n");
    for s in &book.participation {
        let weighted = book
            .programmes
            .iter()
            .any(|p| p.code == s.programme && p.basis != Basis::Equal);
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
    let text = format!(
        "key,value\noffice,{}\nhost,{}\nsik_basis,{sik_basis}\n",
        book.settings.office, book.settings.host
    );
    files.push(("settings", text));

    for (name, text) in files {
        std::fs::write(dir.join(format!("{name}.csv")), text).unwrap();
    }
}
