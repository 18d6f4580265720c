// Fuzz targets: the whole-document importers (Firefox Profiler gecko + processed + devtools
// recordings, speedscope, V8 .cpuprofile current + legacy, DHAT, pprof) on 100k structure-aware inputs each: fixtures with values deleted or
// replaced (wrong types, huge and negative numbers, out-of-range indices), the JSON text cut,
// byte-flipped, re-encoded or gzipped (whole, cut, or gzip magic before garbage), 1k–100k
// levels of nesting; pprof (toPprof's field order and Go runtime/pprof's: time_nanos or
// period_type first, string table last) with flipped bytes, huge varints, cuts and gzip, sniffed
// by the registry first. Each gives a valid profile or a FormatError naming its line and JSON
// path (pprof: a byte offset or the message).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import fc from "fast-check";
import { FormatError } from "../../src/model/errors.js";
import type { Profile } from "../../src/model/profile.js";
import { cpuprofile } from "../../src/samples/chrome/cpuprofile.js";
import { dhat } from "../../src/samples/dhat/dhat.js";
import { firefox } from "../../src/samples/firefox/firefox.js";
import { gunzipHead, isGzip } from "../../src/samples/gzip.js";
import { pprof } from "../../src/samples/pprof/pprof.js";
import { sniff } from "../../src/samples/registry.js";
import { speedscope } from "../../src/samples/speedscope/speedscope.js";
import { fixture } from "../helpers/golden.js";
import { assertValid } from "../helpers/valid-profile.js";
import { byteInputs, deepJson, jsonMutations, encodedInputs, profileOrError, textInputs, type FuzzTarget, type Outcome } from "./harness.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const json = (name: string): Json => JSON.parse(readFileSync(fixture("json", name), "utf8"));

/** The real cpuprofile cut to its first `keep` nodes (breadth first from the root) and their samples. */
function smallCpuprofile(keep: number): Json {
  const p = json("node.cpuprofile");
  const byId = new Map<number, Json>(p.nodes.map((n: Json) => [n.id, n]));
  const kept = new Set<number>();
  const queue = [p.nodes[0].id as number];
  while (queue.length > 0 && kept.size < keep) {
    const id = queue.shift()!;
    kept.add(id);
    queue.push(...((byId.get(id)?.children ?? []) as number[]));
  }
  p.nodes = p.nodes.filter((n: Json) => kept.has(n.id)).map((n: Json) => ({ ...n, children: (n.children ?? []).filter((c: number) => kept.has(c)) }));
  const rows = (p.samples as number[]).map((s, i) => [s, p.timeDeltas[i]] as const).filter(([s]) => kept.has(s)).slice(0, 30);
  p.samples = rows.map(([s]) => s);
  p.timeDeltas = rows.map(([, d]) => d);
  return p;
}
/** The speedscope recording with each profile cut to 40 samples. */
function smallSpeedscope(name: string): Json {
  const p = json(name);
  for (const q of p.profiles) if (q.type === "sampled") {
    q.samples = q.samples.slice(0, 40);
    q.weights = q.weights.slice(0, 40);
  }
  return p;
}

/** A DHAT fixture with its first `keep` program points (and the whole frame table: dangling-free). */
function smallDhat(name: string, keep: number): Json {
  const d = JSON.parse(readFileSync(fixture("dhat", name), "utf8"));
  d.pps = d.pps.slice(0, keep);
  return d;
}

/** Mutated JSON values (most), mutated pretty-printed text (re-encoded, gzipped), deep nesting. */
const documents = (bases: readonly Json[], keys: readonly string[]): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    { weight: 5, arbitrary: jsonMutations(bases, { maxPath: 8 }) },
    { weight: 4, arbitrary: encodedInputs(textInputs(bases.map((b) => JSON.stringify(b, null, 1)), { window: 60 })) },
    { weight: 1, arbitrary: deepJson(keys).map((t) => Buffer.from(t)) },
  );

const jsonTarget = (name: string, seed: number, decode: (b: Uint8Array) => Profile, bases: () => Json[], keys: string[]) => (): FuzzTarget<Uint8Array> => ({
  inputs: documents(bases(), keys),
  check: (bytes) => profileOrError(() => decode(bytes), name),
  seed,
  minShare: 0.02,
});

/** The registry's sniff of the input's head (64 KB, gunzipped as openProfile does): an importer, or the plain error saying the format is unknown (and what the input looks like). */
function sniffHead(bytes: Uint8Array): void {
  const head = isGzip(bytes) ? gunzipHead(bytes, 64 * 1024) : bytes.subarray(0, 64 * 1024);
  try {
    sniff(head);
  } catch (e) {
    if (!(e instanceof Error && e.constructor === Error && /^flamebook: this input: /.test(e.message))) throw e;
  }
}

/** pprof's errors name a byte offset (framing), or the message and field that is wrong. The sniff path runs first. */
function pprofOutcome(bytes: Uint8Array): Outcome {
  sniffHead(bytes);
  let p: Profile;
  try {
    p = pprof.decode(bytes);
  } catch (e) {
    if (!(e instanceof FormatError) && !(e instanceof Error && e.constructor === Error && /^flamebook: pprof profile has no sample type/.test(e.message))) throw e;
    if (e instanceof FormatError) {
      assert.ok(e.line >= 1 && e.message.startsWith("flamebook: pprof line "), e.message);
      assert.match(e.message, /byte offset \d+|gzip|Sample \d+|Location|Function|Mapping|sample_type|string_table|string index|empty input|profile\.proto message/, e.message);
    }
    return "error";
  }
  assertValid(p, { emptyStacks: true });
  return "valid";
}

/** One fuzz target per document importer, by importer name. */
export const documentTargets: Record<string, () => FuzzTarget<Uint8Array>> = {
  // processed v45, v58 and v70 (tables in profile.shared, prefixOffset, frameTable.lib); gecko v27, v3 (JSON-text subprocess and libs); a devtools recording (gecko v10 under `profile`)
  firefox: jsonTarget("firefox", 201, (b) => firefox.decode(b), () => ["firefox-gecko.json", "firefox-processed-shared.json", "firefox-processed-v45.json", "firefox-processed-v70.json", "firefox-gecko-v3.json", "firefox-devtools-recording.json"].map(json), ["threads", "meta", "libs", "shared", "profile"]),
  speedscope: jsonTarget("speedscope", 202, (b) => speedscope.decode(b), () => [smallSpeedscope("threads.speedscope.json"), json("speedscope-evented.json")], ["profiles", "shared"]),
  // the real profile cut small, and the legacy form (a nested head tree, absolute timestamps)
  cpuprofile: jsonTarget("cpuprofile", 203, (b) => cpuprofile.decode(b), () => [smallCpuprofile(12), smallCpuprofile(30), json("v8-legacy-head.cpuprofile")], ["nodes", "samples", "timeDeltas", "head", "children"]),
  // valgrind's heap (before and after the fix, cut to 6 program points), copy and ad-hoc files, and the hand-written dhat-rs file
  dhat: jsonTarget("dhat", 205, (b) => dhat.decode(b), () => [smallDhat("clone-in-loop.before.dhat.json", 6), smallDhat("clone-in-loop.after.dhat.json", 4), smallDhat("clone-in-loop.copy.dhat.json", 5), smallDhat("ad-hoc.dhat.json", 14), smallDhat("dhat-rs.heap.json", 3)], ["pps", "ftbl", "fs"]),
  pprof: () => {
    const raw = ["clone-in-loop.before.pb.gz", "threads.pb.gz", "two-events.pb.gz", "hand-inlined.pb", "go-cpu.pb.gz", "go-heap.pb.gz"].map((n) => {
      const b = readFileSync(fixture("pprof", n));
      return b[0] === 0x1f ? gunzipSync(b) : b;
    });
    return { inputs: byteInputs(raw), check: pprofOutcome, seed: 204, minShare: 0.02 };
  },
};
