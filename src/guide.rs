//! What each column of a book holds, in words, and how a workbook guides its entry (SPEC §4,
//! last point): the note on each header cell, the closed sets that get drop-downs, the code
//! columns that refer to another table, and the dates and amounts that get data validation.
//! Plain data, so that `accord init` writes the same notes into a workbook and into the
//! `README.txt` beside a CSV template.

use crate::model::{table_schema, SCHEMAS};

/// What a column's cells may hold, for the workbook's data validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// One of these words: a drop-down.
    Choice(&'static [&'static str]),
    /// A code of another table (its `code` column): a drop-down of that table's codes.
    Refers(&'static str),
    /// A date: date validation, with an input message.
    Date,
    /// An amount in GBP, negatives allowed (credits and refunds): decimal validation.
    Amount,
    /// A number of 0 or more (a weight, a percentage, a driver value).
    Number,
    /// A financial year, written as text: an input message.
    Year,
    /// Free text, or a code of its own table.
    Text,
}

/// One column's guide: what it holds (the header's note) and how it is entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnGuide {
    pub note: &'static str,
    pub entry: Entry,
}

pub const KINDS: &[&str] = &["member", "guest"];
pub const BASES: &[&str] = &["equal", "weighted", "fixed", "driver"];
pub const CARRY_FORWARDS: &[&str] = &["apply", "hold", "settle"];
pub const BENEFIT_TYPES: &[&str] = &["cashable", "non_cashable", "cost_avoidance"];
pub const SIK_BASES: &[&str] = &["equal", "proportional"];
pub const ACCOUNT_ROLES: &[&str] = &["expense", "income", "receivable", "payable"];

/// The setting whose value is a closed set, and that set (a drop-down on its value cell).
pub const CLOSED_SETTINGS: &[(&str, &[&str])] = &[("sik_basis", SIK_BASES)];

/// The input message of a date cell.
pub const DATE_MESSAGE: &str =
    "A date: type it like 01/04/2012 (day first) or 2012-04-01. Leave blank for an open end.";
/// The input message of an amount cell.
pub const AMOUNT_MESSAGE: &str =
    "An amount in GBP, like 1234.50. Negative amounts (credits, refunds) are allowed: -1234.50.";
/// The input message of a number cell.
pub const NUMBER_MESSAGE: &str = "A number of 0 or more, like 1, 2.5 or 26 (at most 6 decimals).";
/// The input message of a year cell.
pub const YEAR_MESSAGE: &str = "A financial year (1 April to 31 March), typed as text: 2012/13.";

/// The guide of a table's column; every column of every schema has one.
pub fn column_guide(table: &str, column: &str) -> ColumnGuide {
    use Entry::*;
    let (note, entry) = match (table, column) {
        ("councils", "code") => ("The council's code: 1-16 of A-Z 0-9 _ -, unique, e.g. HRW. Other sheets refer to it.", Text),
        ("councils", "name") => ("The council's name, e.g. London Borough of Harrow.", Text),
        ("councils", "kind") => ("member (a member of the partnership, the default) or guest (takes part in some programmes only, never in the Office, pays its full cost).", Choice(KINDS)),
        ("councils", "joined") => ("The date it became a member; blank: it always was.", Date),
        ("councils", "notice_given") => ("The date it gave notice to leave; it then pays at least until the day before twelve months later.", Date),
        ("councils", "left") => ("Its last day as a member (inclusive); blank: it has not left.", Date),
        ("councils", "address") => ("Its postal address for invoices, printed on every invoice, supplementary invoice and credit note.", Text),
        ("councils", "remittance") => ("The bank details to pay it into (sort code, account, reference), printed on its invoices.", Text),
        ("councils", "contact") => ("Who to ask about its invoices: a name, telephone or e-mail, printed on its invoices.", Text),
        ("programmes", "code") => ("The programme's code: 1-16 of A-Z 0-9 _ -, unique, e.g. ADULTS; not SIK.", Text),
        ("programmes", "name") => ("The programme's name.", Text),
        ("programmes", "lead") => ("The council that holds the budget and invoices the others: a code of the councils sheet.", Refers("councils")),
        ("programmes", "basis") => ("How costs are shared: equal (by days), weighted (participation weight), fixed (participation percentages, 100 on every day) or driver (the drivers sheet's values).", Choice(BASES)),
        ("programmes", "carry_forward") => ("The year-end balance: apply (reduces next year's contributions), hold (kept aside) or settle (years with actuals charged on what was spent; not for the Office).", Choice(CARRY_FORWARDS)),
        ("participation", "programme") => ("The programme: a code of the programmes sheet (not the Office, which needs no rows).", Refers("programmes")),
        ("participation", "council") => ("The council taking part: a code of the councils sheet.", Refers("councils")),
        ("participation", "from") => ("The first day it takes part (inclusive); blank: from the start.", Date),
        ("participation", "to") => ("The last day it takes part (inclusive); blank: it goes on.", Date),
        ("participation", "notice_given") => ("The date it gave notice to leave the programme (twelve months' notice).", Date),
        ("participation", "weight") => ("weighted: its weight; fixed: its percentage (0 allowed; on every day the percentages total 100); blank for equal and driver programmes.", Number),
        ("budget", "year") => ("The financial year, e.g. 2012/13.", Year),
        ("budget", "programme") => ("The programme: a code of the programmes sheet.", Refers("programmes")),
        ("budget", "line") => ("What the line is for: free text.", Text),
        ("budget", "category") => ("A category of spending (free text, e.g. staff), compared with actuals.", Text),
        ("budget", "amount") => ("The amount in GBP, e.g. 1234.50.", Amount),
        ("grants", "year") => ("The financial year, e.g. 2012/13.", Year),
        ("grants", "programme") => ("The programme the grant is for: a code of the programmes sheet.", Refers("programmes")),
        ("grants", "source") => ("Who gives the grant: free text.", Text),
        ("grants", "amount") => ("The grant in GBP; it reduces what members pay.", Amount),
        ("support_in_kind", "year") => ("The financial year, e.g. 2012/13.", Year),
        ("support_in_kind", "provider") => ("The council giving the support: a code of the councils sheet.", Refers("councils")),
        ("support_in_kind", "category") => ("What is given: accommodation, ICT, HR... (free text).", Text),
        ("support_in_kind", "amount") => ("Its value in GBP, shared over the councils taking part that year.", Amount),
        ("actuals", "year") => ("The financial year, e.g. 2012/13.", Year),
        ("actuals", "programme") => ("The programme: a code of the programmes sheet.", Refers("programmes")),
        ("actuals", "category") => ("The category, as in the budget.", Text),
        ("actuals", "amount") => ("What was spent, in GBP; refunds negative.", Amount),
        ("cost_centres", "cost_centre") => ("A ledger cost centre, exactly as the ledger writes it.", Text),
        ("cost_centres", "programme") => ("The programme it belongs to: a code of the programmes sheet.", Refers("programmes")),
        ("balances", "programme") => ("The programme: a code of the programmes sheet.", Refers("programmes")),
        ("balances", "year") => ("The book's first financial year.", Year),
        ("balances", "opening") => ("The opening balance in GBP; a deficit is negative.", Amount),
        ("benefits", "year") => ("The financial year, e.g. 2012/13.", Year),
        ("benefits", "programme") => ("The programme the savings come from: a code of the programmes sheet.", Refers("programmes")),
        ("benefits", "council") => ("The council that saves: a code of the councils sheet; blank for savings of the programme as a whole.", Refers("councils")),
        ("benefits", "type") => ("cashable, non_cashable or cost_avoidance.", Choice(BENEFIT_TYPES)),
        ("benefits", "target") => ("The target in GBP; blank for no target (status none).", Amount),
        ("benefits", "achieved") => ("The savings achieved in GBP (0.00 for a year to come).", Amount),
        ("settings", "key") => ("A setting: office, host, sik_basis, variance_pct, variance_abs, amber_pct, collective_target, collective_target_year, invoice_date, payment_terms_days, ledger_..._column.", Text),
        ("settings", "value") => ("Its value; office may be none (no Office); sik_basis is equal or proportional.", Text),
        ("drivers", "year") => ("The financial year, e.g. 2022/23.", Year),
        ("drivers", "programme") => ("A driver programme: a code of the programmes sheet.", Refers("programmes")),
        ("drivers", "council") => ("The council: a code of the councils sheet.", Refers("councils")),
        ("drivers", "value") => ("Its measure of use that year, 0 or more: caseload, calls handled... 0 pays nothing.", Number),
        ("profile", "programme") => ("The programme whose budget falls due by this profile: a code of the programmes sheet.", Refers("programmes")),
        ("profile", "month") => ("The month: 4 for April ... 12 for December, 1 for January ... 3 for March.", Number),
        ("profile", "percent") => ("The percentage of the programme's yearly budget due in that month, 0 or more; a programme's months total 100.", Number),
        ("issued", "document") => ("Written by accord issue, never by hand: the document's number, e.g. WLA/2013-14/EAL/HRW/2.", Text),
        ("issued", "kind") => ("Written by accord issue: invoice, supplementary or credit_note.", Text),
        ("issued", "year") => ("Written by accord issue: the financial year, e.g. 2013/14.", Text),
        ("issued", "issuer") => ("Written by accord issue: the council that sent the document.", Text),
        ("issued", "payer") => ("Written by accord issue: the council it was sent to.", Text),
        ("issued", "programme") => ("Written by accord issue: the programme of this line (SIK for support in kind).", Text),
        ("issued", "amount") => ("Written by accord issue: the line's amount; negative on a credit note.", Text),
        ("issued", "issued_on") => ("Written by accord issue: the day the document was sent.", Text),
        ("issued", "checksum") => ("Written by accord issue: the line's SHA-256 chained to the line above; any edit breaks it.", Text),
        ("purchase_orders", "year") => ("The financial year of the purchase order, e.g. 2013/14.", Year),
        ("purchase_orders", "issuer") => ("The council that invoices: a code of the councils sheet.", Refers("councils")),
        ("purchase_orders", "payer") => ("The council that pays and raised the order: a code of the councils sheet.", Refers("councils")),
        ("purchase_orders", "po_number") => ("The payer's purchase order number, printed on the issuer's invoices to it.", Text),
        ("accounts", "council") => ("The council whose ledger this account is in: a code of the councils sheet.", Refers("councils")),
        ("accounts", "role") => ("What the account is for: expense, income, receivable or payable.", Choice(ACCOUNT_ROLES)),
        ("accounts", "programme") => ("For expense and income: the programme (blank: every programme without its own row); blank for receivable and payable.", Refers("programmes")),
        ("accounts", "account") => ("The account code in that council's own ledger, e.g. 5100 or Expenses:WLA.", Text),
        _ => ("", Text),
    };
    ColumnGuide { note, entry }
}

/// The notes as plain text, for the `README.txt` of a CSV template: every table, then each
/// column with whether it is required and what it holds.
pub fn readme_text() -> String {
    let mut out = String::from(
        "accord budget book: one CSV file per table, the first row the header.\n\
         Each column below says what it holds; the full reference is docs/BOOK.md.\n",
    );
    for schema in SCHEMAS.iter() {
        out += &format!(
            "\n{}.csv ({})\n",
            schema.name,
            if schema.required {
                "required"
            } else {
                "optional"
            }
        );
        for column in schema.columns {
            let guide = column_guide(schema.name, column.name);
            out += &format!(
                "  {} ({}): {}\n",
                column.name,
                if column.required {
                    "required"
                } else {
                    "optional"
                },
                guide.note
            );
        }
    }
    out
}

/// True when `table` is a table of the book whose `code` column others refer to.
pub fn is_code_table(table: &str) -> bool {
    table_schema(table).is_some_and(|s| s.columns.iter().any(|c| c.name == "code"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_has_a_note_short_enough_for_excel() {
        for schema in SCHEMAS.iter() {
            for column in schema.columns {
                let guide = column_guide(schema.name, column.name);
                assert!(!guide.note.is_empty(), "{}.{}", schema.name, column.name);
                assert!(
                    guide.note.chars().count() <= 255,
                    "{}.{}",
                    schema.name,
                    column.name
                );
                if let Entry::Refers(table) = guide.entry {
                    assert!(
                        is_code_table(table),
                        "{}.{} refers to {table}",
                        schema.name,
                        column.name
                    );
                }
            }
        }
        for message in [DATE_MESSAGE, AMOUNT_MESSAGE, NUMBER_MESSAGE, YEAR_MESSAGE] {
            assert!(message.chars().count() <= 255, "{message}");
        }
    }

    #[test]
    fn the_closed_sets_are_the_ones_the_loader_reads() {
        let cases: &[(&str, &str, &[&str])] = &[
            ("councils", "kind", KINDS),
            ("programmes", "basis", BASES),
            ("programmes", "carry_forward", CARRY_FORWARDS),
            ("benefits", "type", BENEFIT_TYPES),
        ];
        for (table, column, set) in cases {
            assert_eq!(
                column_guide(table, column).entry,
                Entry::Choice(set),
                "{table}.{column}"
            );
        }
        let readme = readme_text();
        assert!(readme.contains("drivers.csv (optional)"), "{readme}");
        assert!(
            readme.contains("  basis (optional): How costs are shared"),
            "{readme}"
        );
    }
}
