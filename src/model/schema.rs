//! The tables of a book and their columns (SPEC §1), in one place: the loader checks headers
//! against it and `accord init` writes its template from it.

/// One column of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The column's name in its matching form (see `book::normalise_name`).
    pub name: &'static str,
    pub required: bool,
    /// The value the template book shows in its example row.
    pub example: &'static str,
}

/// One table of a book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableSchema {
    pub name: &'static str,
    pub required: bool,
    pub columns: &'static [Column],
}

impl TableSchema {
    pub fn column_names(&self) -> Vec<&'static str> {
        self.columns.iter().map(|c| c.name).collect()
    }
}

const fn req(name: &'static str, example: &'static str) -> Column {
    Column {
        name,
        required: true,
        example,
    }
}

const fn opt(name: &'static str, example: &'static str) -> Column {
    Column {
        name,
        required: false,
        example,
    }
}

/// Every table, in the SPEC's order.
pub const SCHEMAS: [TableSchema; 16] = [
    TableSchema {
        name: "councils",
        required: true,
        columns: &[
            req("code", "HRW"),
            req("name", "London Borough of Harrow"),
            opt("kind", "member"),
            opt("joined", "2012-04-01"),
            opt("notice_given", ""),
            opt("left", ""),
            opt("address", ""),
            opt("remittance", ""),
            opt("contact", ""),
        ],
    },
    TableSchema {
        name: "programmes",
        required: true,
        columns: &[
            req("code", "OFFICE"),
            req("name", "WLA Office"),
            req("lead", "HRW"),
            opt("basis", "equal"),
            opt("carry_forward", "apply"),
        ],
    },
    TableSchema {
        name: "participation",
        required: true,
        columns: &[
            req("programme", "ADULTS"),
            req("council", "HRW"),
            opt("from", "2012-04-01"),
            opt("to", ""),
            opt("notice_given", ""),
            opt("weight", ""),
        ],
    },
    TableSchema {
        name: "budget",
        required: true,
        columns: &[
            req("year", "2012/13"),
            req("programme", "OFFICE"),
            req("line", "Office staff"),
            opt("category", "staff"),
            req("amount", "30000.00"),
        ],
    },
    TableSchema {
        name: "grants",
        required: false,
        columns: &[
            req("year", "2012/13"),
            req("programme", "ADULTS"),
            req("source", "Capital Ambition"),
            req("amount", "10000.00"),
        ],
    },
    TableSchema {
        name: "support_in_kind",
        required: false,
        columns: &[
            req("year", "2012/13"),
            req("provider", "HRW"),
            req("category", "accommodation"),
            req("amount", "6000.00"),
        ],
    },
    TableSchema {
        name: "actuals",
        required: false,
        columns: &[
            req("year", "2012/13"),
            req("programme", "OFFICE"),
            opt("category", "staff"),
            req("amount", "29500.00"),
        ],
    },
    TableSchema {
        name: "cost_centres",
        required: false,
        columns: &[
            req("cost_centre", "WLA Office Staff"),
            req("programme", "OFFICE"),
        ],
    },
    TableSchema {
        name: "balances",
        required: false,
        columns: &[
            req("programme", "ADULTS"),
            req("year", "2012/13"),
            req("opening", "0.00"),
        ],
    },
    TableSchema {
        name: "benefits",
        required: false,
        columns: &[
            req("year", "2012/13"),
            req("programme", "ADULTS"),
            opt("council", "HRW"),
            req("type", "cashable"),
            opt("target", "100000.00"),
            req("achieved", "90000.00"),
        ],
    },
    TableSchema {
        name: "settings",
        required: false,
        columns: &[req("key", "office"), req("value", "OFFICE")],
    },
    TableSchema {
        name: "profile",
        required: false,
        columns: &[
            req("programme", "ADULTS"),
            req("month", "4"),
            req("percent", "100"),
        ],
    },
    TableSchema {
        name: "drivers",
        required: false,
        columns: &[
            req("year", "2012/13"),
            req("programme", "SHARED"),
            req("council", "HRW"),
            req("value", "2125"),
        ],
    },
    // The register of issued documents (SPEC §5): written by `accord issue`, never by hand, so
    // the template shows no example row.
    TableSchema {
        name: "issued",
        required: false,
        columns: &[
            req("document", ""),
            req("kind", ""),
            req("year", ""),
            req("issuer", ""),
            req("payer", ""),
            req("programme", ""),
            req("amount", ""),
            req("issued_on", ""),
            req("checksum", ""),
        ],
    },
    TableSchema {
        name: "purchase_orders",
        required: false,
        columns: &[
            req("year", ""),
            req("issuer", ""),
            req("payer", ""),
            req("po_number", ""),
        ],
    },
    TableSchema {
        name: "accounts",
        required: false,
        columns: &[
            req("council", "HRW"),
            req("role", "expense"),
            opt("programme", "ADULTS"),
            req("account", "5100"),
        ],
    },
];

pub fn table_schema(name: &str) -> Option<&'static TableSchema> {
    SCHEMAS.iter().find(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_cover_every_table_the_reader_knows() {
        let names: Vec<&str> = SCHEMAS.iter().map(|s| s.name).collect();
        assert_eq!(names, crate::book::TABLE_NAMES.to_vec());
    }
}
