//! accord's integration tests, built as one binary: the CLI end to end on the fixture book
//! (with golden files and the contract checker), every user-facing error with a small
//! reproducer, and property tests over generated books.

mod cli;
mod compare;
mod cycle;
mod cycle_properties;
mod documents;
mod errors;
mod hostile;
mod journals;
mod messy;
mod monitoring;
mod pack;
mod plan;
mod properties;
mod safety;
mod serve;
mod shared_service;
mod support;
