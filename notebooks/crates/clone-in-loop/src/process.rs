//! The hot loop of the seed's worked example, in its two versions.

use crate::records::Record;

/// A key is relevant when its digits end in "7": about one record in ten.
#[inline(never)]
pub fn is_relevant(key: &str) -> bool {
    key.as_bytes().last() == Some(&b'7')
}

/// Before: allocates a new String on the heap for every single iteration.
#[cfg(not(feature = "reuse-buffer"))]
pub const VARIANT: &str = "before";

#[cfg(not(feature = "reuse-buffer"))]
#[inline(never)]
pub fn process(records: &[Record]) -> Vec<String> {
    let mut out = Vec::new();
    for r in records {
        let key = r.user_id.to_string();
        if is_relevant(&key) {
            out.push(format!("{}: {}", key, r.payload));
        }
    }
    out
}

/// After: one reused buffer; `write!` formats into the existing allocation.
#[cfg(feature = "reuse-buffer")]
pub const VARIANT: &str = "after";

#[cfg(feature = "reuse-buffer")]
#[inline(never)]
pub fn process(records: &[Record]) -> Vec<String> {
    use std::fmt::Write;
    let mut out = Vec::with_capacity(records.len() / 8);
    let mut key_buf = String::new();
    for r in records {
        key_buf.clear();
        let _ = write!(&mut key_buf, "{}", r.user_id);
        if is_relevant(&key_buf) {
            out.push(format!("{}: {}", key_buf, r.payload));
        }
    }
    out
}
