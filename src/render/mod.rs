//! Writers, one per format, over the report tables. Each writes into any `Write`, so tests
//! render into a `Vec<u8>`.

pub mod csv;
pub mod manifest;
