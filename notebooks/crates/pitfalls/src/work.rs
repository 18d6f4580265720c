//! The CPU work: small helpers, each a frame in a profile unless the optimiser inlines it.
//! They are plain `fn`s (no `#[inline]` hints): whether they survive as frames is up to
//! opt-level and LTO, which is what the notebook shows.

/// Deterministic keys like "user-12345-ab".
pub fn keys(n: usize) -> Vec<String> {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    (0..n)
        .map(|i| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            format!("user-{i}-{:x}", state & 0xfff)
        })
        .collect()
}

/// Sums the score of every key.
pub fn score_all(keys: &[String]) -> u64 {
    let mut total = 0u64;
    for k in keys {
        total = total.wrapping_add(score(k));
    }
    total
}

/// The score of one key: parse its digits, mix them, then checksum the bytes.
fn score(key: &str) -> u64 {
    let id = parse_id(key);
    let h = mix(id);
    h ^ checksum(key.as_bytes(), h)
}

/// The decimal number between the first and second '-'.
fn parse_id(key: &str) -> u64 {
    key.split('-').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

/// A few rounds of multiply-xorshift.
fn mix(mut x: u64) -> u64 {
    for _ in 0..8 {
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    }
    x
}

/// FNV-1a over the bytes, repeated a few times so it is worth sampling.
fn checksum(bytes: &[u8], seed: u64) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ seed;
    for _ in 0..4 {
        for &b in bytes {
            h ^= b as u64;
            h = h.wrapping_mul(0x100_0000_01b3);
        }
    }
    h
}
