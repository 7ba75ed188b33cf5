//! The engine's record of every split it made: which amount, over whom, with what weights, and
//! the working of the largest remainders. Kept beside the results (never read by the rules) so
//! that `accord explain` shows the arithmetic the engine did rather than a second calculation.

use super::split::Working;
use crate::values::Year;
use rust_decimal::Decimal;

/// Which amount a split shared out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// A programme's gross budget over everyone taking part; guests keep their parts.
    GuestCharges,
    /// The members' pool over the members taking part.
    MembersPool,
    /// One provider's support-in-kind pool.
    SupportInKind,
}

/// One call of the splitting function.
#[derive(Debug, Clone, PartialEq)]
pub struct SplitRecord {
    pub year: Year,
    /// A programme code, or `SIK`.
    pub programme: String,
    /// The programme's lead, or the support-in-kind provider.
    pub holder: String,
    pub stage: Stage,
    /// Council and weight, in council-code order (the order of `working.parts`).
    pub weights: Vec<(String, Decimal)>,
    pub working: Working,
}

impl SplitRecord {
    /// The index of `council` among the parts.
    pub fn position(&self, council: &str) -> Option<usize> {
        self.weights.iter().position(|(c, _)| c == council)
    }
}

/// Every split of a run, in the order the engine made them (year, programme, then support in
/// kind by provider).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Record {
    pub splits: Vec<SplitRecord>,
}

impl Record {
    /// The splits of `programme` in `year` that `council` has a part in.
    pub fn splits_for<'a>(
        &'a self,
        year: Year,
        programme: &'a str,
        council: &'a str,
    ) -> impl Iterator<Item = &'a SplitRecord> + 'a {
        self.splits.iter().filter(move |s| {
            s.year == year && s.programme == programme && s.position(council).is_some()
        })
    }
}
