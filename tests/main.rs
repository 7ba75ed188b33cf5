//! accord's integration tests, built as one binary: the CLI end to end on the fixture book
//! (with golden files and the shared contract checker), every user-facing error with a small
//! reproducer, and property tests over generated books.

mod cli;
mod documents;
mod errors;
mod hostile;
mod messy;
mod plan;
mod properties;
mod safety;
mod serve;
mod support;
