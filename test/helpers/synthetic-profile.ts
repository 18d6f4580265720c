import { ProfileBuilder, type Profile } from "../../src/internals.js";
import { mulberry32 } from "./prng.js";

/**
 * A perf-like profile whose call tree has about `nodes` nodes, with Rust-looking names (paths,
 * generics, closures) drawn from a pool of about nodes/3 functions, cpu-clock weights in
 * nanoseconds, timestamps, and two threads. Deterministic for a seed. For size and speed
 * checks of the flamegraph, where real recordings of that size are not available.
 */
export function syntheticProfile(nodes: number, seed = 1): Profile {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const crates = ["wordfreq", "std", "core", "alloc", "hashbrown", "serde_json", "regex_automata", "tokio"];
  const types = ["Vec<u8>", "String", "HashMap<String, u64>", "Formatter", "RawVec<T,A>", "Parser<'a>", "Searcher"];
  const verbs = ["process", "fmt", "push_str", "grow_amortized", "insert", "find_at", "next", "parse_value", "write_str", "drop"];
  const b = new ProfileBuilder({ format: "synthetic", unit: "nanoseconds" });
  const frames: number[] = [];
  for (let i = 0; i < Math.max(8, Math.floor(nodes / 3)); i++) {
    const c = pick(crates);
    const name = rnd() < 0.1 ? `__libc_func_${i}` : `<${c}::${pick(["de", "ser", "raw_vec", "map", "fmt", "io"])}::${pick(types)} as ${pick(crates)}::ops::Trait${i % 13}>::${pick(verbs)}_${i}${rnd() < 0.2 ? "::{{closure}}" : ""}`;
    frames.push(b.frame(name, c === "std" || name.startsWith("__") ? "/usr/lib/libc.so.6" : "/tmp/wordfreq", { inlined: rnd() < 0.15 }));
  }
  const threads = [b.thread("wordfreq", 100, 100), b.thread("worker", 100, 101)];
  const ev = b.event("cpu-clock");
  const stacks: number[] = [b.stack(-1, frames[0]!)];
  const depth: number[] = [1];
  const seen = new Set(stacks);
  let time = 1000;
  while (stacks.length < nodes - 1) {
    // Extend a recent stack more often than an old one, so the tree is deep as well as wide.
    const k = rnd() < 0.7 ? stacks.length - 1 - Math.floor(rnd() * Math.min(20, stacks.length)) : Math.floor(rnd() * stacks.length);
    if (depth[k]! >= 60) continue;
    const s = b.stack(stacks[k]!, pick(frames));
    if (seen.has(s)) continue;
    seen.add(s);
    stacks.push(s);
    depth.push(depth[k]! + 1);
  }
  for (const s of stacks) {
    const n = 1 + Math.floor(rnd() ** 3 * 40);
    for (let i = 0; i < n; i++) {
      time += 0.001003;
      b.sample(s, pick(threads), ev, time, 1003009 + Math.floor(rnd() * 2000));
    }
  }
  return b.finish();
}
