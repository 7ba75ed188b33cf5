//! The domain: a budget book as typed, checked rows. `load` turns raw tables into these types
//! (every problem collected, bad rows dropped), so that what reaches the engine is consistent:
//! every code refers to something that exists, and every date range is the one that applies.

mod accounts;
mod cells;
pub mod cycle;
mod dated;
mod drivers;
mod fields;
mod load;
mod monitoring;
mod schema;
mod taking_part;
mod validate;

pub use cycle::{Cycle, DocumentKind, IssuedLine, Payables, PurchaseOrder};
pub use monitoring::{in_progress_year, starts_after};
pub use schema::{table_schema, Column, TableSchema, SCHEMAS};
pub use taking_part::TakingPart;

use crate::book::RawBook;
use crate::diag::{Diagnostics, Place};
use crate::money::Money;
use crate::values::Year;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Reads and checks a whole book: each table against its schema (`load`), then the checks
/// across tables (`validate`). Always returns a consistent `Book` (rows with problems are left
/// out) together with every problem found; the book is fit to use only when none of the
/// diagnostics is an error.
pub fn load_book(raw: &RawBook) -> (Book, Diagnostics) {
    let (tables, mut diags) = load::read_tables(raw);
    let account_rows = accounts::read(raw, &mut diags);
    let mut book = validate::validate(raw.label.clone(), tables, &mut diags);
    book.accounts = accounts::check(account_rows, &book, &mut diags);
    (book, diags)
}

/// An inclusive range of days, open at either end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct DateRange {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl DateRange {
    pub const ALWAYS: DateRange = DateRange {
        from: None,
        to: None,
    };

    pub fn intersect(self, other: DateRange) -> DateRange {
        let from = match (self.from, other.from) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let to = match (self.to, other.to) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        DateRange { from, to }
    }

    /// Days of `year` inside this range.
    pub fn days_in(self, year: Year) -> i64 {
        self.days_between(year.first_day(), year.last_day())
    }

    /// Days from `first` to `last` (inclusive) inside this range: [`days_in`](Self::days_in)
    /// with the year's first and last days at hand, for a caller asking of many ranges (each
    /// day is made by a search of chrono's calendar tables).
    pub fn days_between(self, first: NaiveDate, last: NaiveDate) -> i64 {
        let start = self.from.map_or(first, |d| d.max(first));
        let end = self.to.map_or(last, |d| d.min(last));
        ((end - start).num_days() + 1).max(0)
    }

    pub fn overlaps(self, other: DateRange) -> bool {
        let both = self.intersect(other);
        match (both.from, both.to) {
            (Some(a), Some(b)) => a <= b,
            _ => true,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CouncilKind {
    Member,
    Guest,
}

impl CouncilKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CouncilKind::Member => "member",
            CouncilKind::Guest => "guest",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Council {
    pub code: String,
    pub name: String,
    pub kind: CouncilKind,
    /// `joined`..`left` as written, with `left` extended by the notice rule (Accord 7.5).
    pub membership: DateRange,
    pub place: Place,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Basis {
    Equal,
    Weighted,
    Fixed,
    /// Shared by each council's `drivers` value for the year (caseload, calls...): SPEC §4.
    Driver,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Equal => "equal",
            Basis::Weighted => "weighted",
            Basis::Fixed => "fixed",
            Basis::Driver => "driver",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CarryForward {
    Apply,
    Hold,
    /// Years with actuals are charged on what was spent (SPEC §4); forecast years on budget.
    Settle,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Programme {
    pub code: String,
    pub name: String,
    pub lead: String,
    /// Always `Equal` for the Office (Accord 7.1), whatever the book says.
    pub basis: Basis,
    pub carry_forward: CarryForward,
    pub place: Place,
}

/// One stint of a council in a programme (never the Office).
#[derive(Debug, Clone, PartialEq)]
pub struct Participation {
    pub programme: String,
    pub council: String,
    /// `from`..`to` with `to` extended by the notice rule, and cut to the council's membership.
    pub range: DateRange,
    /// The weight (`weighted`) or percentage (`fixed`); 1 for `equal`.
    pub weight: Decimal,
    pub place: Place,
}

/// One `drivers` row: a council's measure of use of a `driver` programme in a year (SPEC §4).
#[derive(Debug, Clone, PartialEq)]
pub struct Driver {
    pub year: Year,
    pub programme: String,
    pub council: String,
    /// A number ≥ 0: caseload, population, calls handled...
    pub value: Decimal,
    pub place: Place,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BudgetLine {
    pub year: Year,
    pub programme: String,
    pub line: String,
    pub category: String,
    pub amount: Money,
    pub place: Place,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Grant {
    pub year: Year,
    pub programme: String,
    pub source: String,
    pub amount: Money,
    pub place: Place,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SupportInKind {
    pub year: Year,
    pub provider: String,
    pub category: String,
    pub amount: Money,
    pub place: Place,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Actual {
    pub year: Year,
    pub programme: String,
    pub category: String,
    pub amount: Money,
    pub place: Place,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CostCentre {
    pub cost_centre: String,
    pub programme: String,
    pub place: Place,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Balance {
    pub programme: String,
    pub year: Year,
    pub opening: Money,
    pub place: Place,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BenefitType {
    Cashable,
    NonCashable,
    CostAvoidance,
}

impl BenefitType {
    pub fn as_str(self) -> &'static str {
        match self {
            BenefitType::Cashable => "cashable",
            BenefitType::NonCashable => "non_cashable",
            BenefitType::CostAvoidance => "cost_avoidance",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Benefit {
    pub year: Year,
    pub programme: String,
    /// Blank (`""`) for savings of the programme as a whole (SPEC §4): they count towards the
    /// collective target and the programme's status, and towards no council's return.
    pub council: String,
    pub benefit_type: BenefitType,
    /// `None` when no target was written: the status is then `none`.
    pub target: Option<Money>,
    pub achieved: Money,
    pub place: Place,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SikBasis {
    Equal,
    Proportional,
}

/// One row of the `profile` table: the percentage of a programme's yearly budget that falls
/// due in a month (`month` 4 is April ... 3 is March).
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileMonth {
    pub programme: String,
    pub month: u32,
    pub percent: Decimal,
    pub place: Place,
}

/// The `settings` table, with the SPEC's defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The Office's programme code; empty when the setting says `none` (no Office, SPEC §4).
    pub office: String,
    pub host: String,
    pub sik_basis: SikBasis,
    pub variance_pct: Decimal,
    pub variance_abs: Money,
    pub amber_pct: Decimal,
    pub collective_target: Option<Money>,
    pub collective_target_year: Option<Year>,
    pub invoice_date: Option<NaiveDate>,
    pub payment_terms_days: u32,
    pub ledger_date_column: String,
    pub ledger_cost_centre_column: String,
    pub ledger_amount_column: String,
    /// The day the actuals are complete to (SPEC §9); `None`: every year with actuals is over.
    pub actuals_to: Option<NaiveDate>,
    /// Printed as written on every invoice, supplementary invoice and credit note (SPEC §5).
    pub invoice_note: Option<String>,
}

impl Default for Settings {
    /// The SPEC's defaults (§1): Office `OFFICE`, host the Office's lead (filled in once the
    /// programmes are read), support in kind shared `equal`ly, variance 5% and GBP 10,000,
    /// amber at 80%, 30 days to pay, ledger columns `date`, `cost_centre`, `amount`.
    fn default() -> Settings {
        Settings {
            office: "OFFICE".into(),
            host: String::new(),
            sik_basis: SikBasis::Equal,
            variance_pct: Decimal::from(5),
            variance_abs: Money::from_pence(1_000_000),
            amber_pct: Decimal::from(80),
            collective_target: None,
            collective_target_year: None,
            invoice_date: None,
            payment_terms_days: 30,
            ledger_date_column: "date".into(),
            ledger_cost_centre_column: "cost_centre".into(),
            ledger_amount_column: "amount".into(),
            actuals_to: None,
            invoice_note: None,
        }
    }
}

/// What an account is for in a council's journal (SPEC §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AccountRole {
    /// The payer's cost of a programme.
    Expense,
    /// The issuer's recharge income for a programme.
    Income,
    /// What a payer owes the issuer, in the issuer's books.
    Receivable,
    /// What the payer owes an issuer, in the payer's books.
    Payable,
}

impl AccountRole {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountRole::Expense => "expense",
            AccountRole::Income => "income",
            AccountRole::Receivable => "receivable",
            AccountRole::Payable => "payable",
        }
    }
}

/// An `accounts` row: the account code `council` posts `role` to; `programme` is `None` for
/// receivable and payable, and for an expense or income account that serves every programme
/// without its own row.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub council: String,
    pub role: AccountRole,
    pub programme: Option<String>,
    pub account: String,
    pub place: Place,
}

/// A whole, consistent budget book. Rows keep the order they were read in; the engine never
/// depends on that order.
#[derive(Debug, Clone, PartialEq)]
pub struct Book {
    pub label: String,
    pub councils: Vec<Council>,
    pub programmes: Vec<Programme>,
    pub participation: Vec<Participation>,
    pub budget: Vec<BudgetLine>,
    pub grants: Vec<Grant>,
    pub support_in_kind: Vec<SupportInKind>,
    pub actuals: Vec<Actual>,
    pub cost_centres: Vec<CostCentre>,
    pub balances: Vec<Balance>,
    pub benefits: Vec<Benefit>,
    pub settings: Settings,
    /// The `profile` table (SPEC §9): how each programme's budget falls month by month.
    pub profile: Vec<ProfileMonth>,
    /// The `drivers` table (SPEC §4), for `driver` programmes.
    pub drivers: Vec<Driver>,
    /// Every financial year from the earliest budget line to the latest.
    pub years: Vec<Year>,
    /// The register of issued documents, purchase orders and payables details (SPEC §5).
    pub cycle: Cycle,
    /// The councils' own account codes for their journals (SPEC §7); empty for the defaults.
    pub accounts: Vec<Account>,
}

impl Book {
    pub fn council(&self, code: &str) -> Option<&Council> {
        self.councils.iter().find(|c| c.code == code)
    }

    /// A council's name, or its code when the book has no such council: the one rule every
    /// report and document names councils by.
    pub fn council_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.council(code).map_or(code, |c| c.name.as_str())
    }

    pub fn programme(&self, code: &str) -> Option<&Programme> {
        self.programmes.iter().find(|p| p.code == code)
    }

    pub fn is_office(&self, programme: &str) -> bool {
        self.has_office() && programme == self.settings.office
    }

    /// False when the setting `office` is `none`: the book has no Office (SPEC §4).
    pub fn has_office(&self) -> bool {
        !self.settings.office.is_empty()
    }

    /// A council's `drivers` value for a programme and year, when the book gives one.
    pub fn driver_value(&self, programme: &str, council: &str, year: Year) -> Option<Decimal> {
        self.drivers
            .iter()
            .find(|d| d.year == year && d.programme == programme && d.council == council)
            .map(|d| d.value)
    }
}
