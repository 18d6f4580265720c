//! Deterministic input: a tiny xorshift PRNG, so every run sees the same records.

/// A user id. Its `Display` is what `to_string()` and `write!` both go through.
#[derive(Clone, Copy)]
pub struct UserId(pub u64);

impl std::fmt::Display for UserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "u{}", self.0)
    }
}

pub struct Record {
    pub user_id: UserId,
    pub payload: u32,
}

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

/// `n` records with user ids spread over 1..10^12 (so keys are 1 to 12 digits long).
pub fn generate(n: usize, seed: u64) -> Vec<Record> {
    let mut rng = XorShift(seed | 1);
    (0..n)
        .map(|_| {
            let r = rng.next();
            Record { user_id: UserId(r % 1_000_000_000_000), payload: (r >> 40) as u32 }
        })
        .collect()
}
