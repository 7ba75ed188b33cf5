//! Decimal digits written straight into a byte buffer, two at a time from a table, in 64-bit
//! arithmetic whenever the number fits (every count and amount of a book does): what the CSV
//! tables and [`Money::text`](super::Money::text) write hundreds of thousands of times a run,
//! without the general formatting machinery or a `String` per number. Each function writes
//! what `Display` writes; the tests check that on generated numbers.

/// `00`, `01`, ... `99`: the two digits of each number below a hundred.
const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// The most digits a `u128` has.
pub const MAX_DIGITS: usize = 39;

/// Writes the digits of `n` so that they end just before `buffer[end]`, and gives where
/// they start.
pub fn write_u64_back(buffer: &mut [u8], end: usize, n: u64) -> usize {
    let mut at = end;
    let mut n = n;
    while n >= 100 {
        let pair = (n % 100) as usize * 2;
        n /= 100;
        at -= 2;
        buffer[at..at + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    }
    if n >= 10 {
        let pair = n as usize * 2;
        at -= 2;
        buffer[at..at + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    } else {
        at -= 1;
        buffer[at] = b'0' + n as u8;
    }
    at
}

/// [`write_u64_back`] for any `u128`: nineteen digits at a time in 64-bit arithmetic.
pub fn write_u128_back(buffer: &mut [u8], end: usize, n: u128) -> usize {
    const TEN_19: u128 = 10_000_000_000_000_000_000;
    if let Ok(n) = u64::try_from(n) {
        return write_u64_back(buffer, end, n);
    }
    let (high, low) = (n / TEN_19, (n % TEN_19) as u64);
    let start = write_u64_back(buffer, end, low);
    // The low part has all nineteen of its digits, leading zeros too.
    let full = end - 19;
    buffer[full..start].fill(b'0');
    write_u128_back(buffer, full, high)
}

/// Appends the digits of `n`.
pub fn push_u128(out: &mut Vec<u8>, n: u128) {
    let mut buffer = [0u8; MAX_DIGITS];
    let start = write_u128_back(&mut buffer, MAX_DIGITS, n);
    out.extend_from_slice(&buffer[start..]);
}

/// Appends `n` as `Display` writes it (`-4000`).
pub fn push_i128(out: &mut Vec<u8>, n: i128) {
    if n < 0 {
        out.push(b'-');
    }
    push_u128(out, n.unsigned_abs());
}

/// Appends the two digits of `n` (below a hundred), a leading zero included.
pub fn push_pair(out: &mut Vec<u8>, n: u8) {
    let pair = usize::from(n) * 2;
    out.extend_from_slice(&PAIRS[pair..pair + 2]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn edges() -> Vec<u128> {
        let mut cases = vec![0, 1, 9, 10, 99, 100, 101, 999, 1000];
        for p in 1..=38 {
            let power = 10u128.pow(p);
            cases.extend([power - 1, power, power + 1]);
        }
        cases.extend([
            u64::MAX as u128 - 1,
            u64::MAX as u128,
            u64::MAX as u128 + 1,
            u128::MAX - 1,
            u128::MAX,
        ]);
        cases
    }

    #[test]
    fn every_power_of_ten_and_its_neighbours() {
        for n in edges() {
            let mut out = Vec::new();
            push_u128(&mut out, n);
            assert_eq!(String::from_utf8(out).unwrap(), n.to_string(), "{n}");
        }
        for n in 0..100u8 {
            let mut out = Vec::new();
            push_pair(&mut out, n);
            assert_eq!(String::from_utf8(out).unwrap(), format!("{n:02}"));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The digit writer writes what `Display` writes, for numbers of every size.
        #[test]
        fn writes_what_display_writes(n in any::<i128>(), shift in 0u32..128) {
            let n = n >> shift;
            let mut out = b"x".to_vec();
            push_i128(&mut out, n);
            prop_assert_eq!(String::from_utf8(out).unwrap(), format!("x{n}"));
        }
    }
}
