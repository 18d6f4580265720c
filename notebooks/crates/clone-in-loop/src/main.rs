//! wordfreq: builds deterministic records and runs `process` over them.
//!
//! Usage: `wordfreq [records] [rounds]` (defaults: 200000 records, 500 rounds).
//! Without features, `process` calls `user_id.to_string()` on every record (the
//! allocation in a hot loop from the seed). With `--features reuse-buffer` it formats
//! into one reused `key_buf` with `write!`.

use std::hint::black_box;

mod process;
mod records;

fn arg(n: usize, default: usize) -> usize {
    match std::env::args().nth(n) {
        None => default,
        Some(s) => s.parse().unwrap_or_else(|_| {
            eprintln!("wordfreq: argument {n} must be a positive integer, got {s:?}");
            std::process::exit(2)
        }),
    }
}

fn main() {
    let n = arg(1, 200_000);
    let rounds = arg(2, 500);
    let records = records::generate(n, 0x9E37_79B9_7F4A_7C15);
    let mut kept = 0usize;
    let mut bytes = 0usize;
    for _ in 0..rounds {
        let out = process::process(black_box(&records));
        kept += out.len();
        bytes += out.iter().map(String::len).sum::<usize>();
    }
    println!(
        "variant={} records={n} rounds={rounds} kept={kept} bytes={bytes}",
        process::VARIANT
    );
}
