//! `accord serve` end to end: the real binary on 127.0.0.1 with port 0, attacked over raw
//! HTTP, fed uploads, stopped with Ctrl-C, and used through headless Chromium.

mod attacks;
mod browser;
mod compare;
mod packs;
pub mod server;
