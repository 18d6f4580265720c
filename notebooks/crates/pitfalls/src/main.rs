//! pitfalls: one workload per profiling pitfall.
//!
//! Usage: `pitfalls <mode> [n]`
//! - `hash n`: CPU-bound, a chain of small helper functions (parse → mix → score) called in a
//!   hot loop; n rounds over 100 000 keys. Used for debug-vs-release, stripped symbols, inlining
//!   and LTO, and noise timings.
//! - `tiny ms`: the same work, stopped after about `ms` milliseconds of CPU (too few samples).
//! - `wait n`: IO-bound: n blocking reads on a UDP socket that never receives anything (each
//!   times out after 20 ms), with a little CPU work between them.

use std::hint::black_box;
use std::net::UdpSocket;
use std::time::{Duration, Instant};

mod work;

fn number(arg: Option<String>, default: u64, what: &str) -> u64 {
    match arg {
        None => default,
        Some(s) => s.parse().unwrap_or_else(|_| {
            eprintln!("pitfalls: {what} must be a non-negative integer, got {s:?}");
            std::process::exit(2)
        }),
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "hash".to_string());
    let n = args.next();
    match mode.as_str() {
        "hash" => {
            let rounds = number(n, 40, "rounds");
            let keys = work::keys(100_000);
            let mut total = 0u64;
            for _ in 0..rounds {
                total = total.wrapping_add(work::score_all(black_box(&keys)));
            }
            println!("mode=hash rounds={rounds} total={total}");
        }
        "tiny" => {
            let budget = Duration::from_millis(number(n, 50, "milliseconds"));
            let keys = work::keys(10_000);
            let start = Instant::now();
            let (mut total, mut rounds) = (0u64, 0u64);
            while start.elapsed() < budget {
                total = total.wrapping_add(work::score_all(black_box(&keys)));
                rounds += 1;
            }
            println!("mode=tiny rounds={rounds} total={total}");
        }
        "wait" => {
            let reads = number(n, 50, "reads");
            let socket = UdpSocket::bind("127.0.0.1:0").expect("bind a UDP socket on localhost");
            socket.set_read_timeout(Some(Duration::from_millis(20))).expect("set a read timeout");
            let keys = work::keys(2_000);
            let mut buf = [0u8; 1500];
            let (mut total, mut timeouts) = (0u64, 0u64);
            for _ in 0..reads {
                // Blocks in recvfrom(2) until the timeout: nobody sends to this socket.
                match socket.recv(&mut buf) {
                    Ok(len) => total = total.wrapping_add(len as u64),
                    Err(_) => timeouts += 1,
                }
                total = total.wrapping_add(work::score_all(black_box(&keys)));
            }
            println!("mode=wait reads={reads} timeouts={timeouts} total={total}");
        }
        other => {
            eprintln!("pitfalls: unknown mode {other:?}; use hash, tiny or wait");
            std::process::exit(2)
        }
    }
}
