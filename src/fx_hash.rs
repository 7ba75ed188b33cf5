//! A quick hash for maps keyed by short texts the run looks up again and again: the ledger's
//! dates and cost centres (once per line, a million times a run) and the journals' account
//! names. SipHash's guard against keys crafted to collide buys nothing here (the keys come from
//! a finance system's export or from codes already checked, and no map's order is ever used)
//! and cost a tenth of a ledger run (FNV, a byte at a time, a twentieth).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The multiply-and-rotate hash of rustc's `FxHasher`, eight bytes at a time.
#[derive(Default)]
pub struct Fx(u64);

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            self.add(u64::from_le_bytes(word.try_into().expect("eight bytes")));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_u64(&mut self, word: u64) {
        self.add(word);
    }

    fn write_u128(&mut self, words: u128) {
        self.add(words as u64);
        self.add((words >> 64) as u64);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn write_isize(&mut self, n: isize) {
        self.add(n as u64);
    }
}

pub type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;
