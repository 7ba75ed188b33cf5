//! accord: the West London Alliance's cost-allocation and budgeting engine.
//!
//! A budget book goes `book` (files -> raw cells) -> `model` (cells -> a validated book) ->
//! `engine` (pure rules -> results) -> `report` (tables) -> `render` (files) -> `pack` (each
//! file into a staging folder as soon as it is made, noted for the manifest), and `output`
//! swaps the finished folder in atomically. `main.rs` is the only place that prints.

pub mod book;
pub mod compare;
pub mod compare_files;
pub mod diag;
pub mod engine;
pub mod explain;
pub mod fx_hash;
pub mod guide;
pub mod init;
pub mod issue;
pub mod ledger;
pub mod model;
pub mod money;
pub mod output;
pub mod pack;
pub mod pipeline;
pub mod render;
pub mod report;
pub mod serve;
pub mod template;
#[cfg(test)]
mod test_dir;
pub mod text;
pub mod values;
