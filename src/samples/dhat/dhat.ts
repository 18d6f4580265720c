// Format: DHAT's JSON output, `dhatFileVersion` 2, as described in the comments of valgrind's
// dhat/dh_main.c ("File format notes") and read by its dh_view.js (valgrind 3.15 and later; the
// fixtures are from 3.19): `mode` ("heap", "copy", "ad-hoc"), `verb`, `bklt` (block lifetimes
// recorded), `bkacc` (block accesses recorded), optional units `bu`/`bsu`/`bksu`, `cmd`, `pid`,
// `pps` (program points: `tb`/`tbk` total bytes and blocks; with bklt `tl`, `mb`/`mbk` the site's
// peak, `gb`/`gbk` at the global peak, `eb`/`ebk` at the end; with bkacc `rb`/`wb` bytes read and
// written and an optional `acc` histogram; `fs` frame-table indices, innermost first) and `ftbl`
// (frame strings, "[root]" first). dhat-rs (nnethercote/dhat-rs, 0.2–0.3) writes the same
// version pretty-printed, with mode "rust-heap" or "rust-ad-hoc", bkacc false and frames
// `0xADDR: name (file.rs:line:col)` (see frame-string.ts); it is read the same way.
import { basename } from "node:path";
import { frameKind } from "../../model/frame-kind.js";
import { ProfileBuilder } from "../../model/profile-builder.js";
import type { Profile } from "../../model/profile.js";
import { cleanRustName } from "../../model/rust-names.js";
import type { ImportOptions, Importer } from "../importer.js";
import { get, readJson, type JsonDoc, type JsonObject, type JsonPath } from "../json-input.js";
import { parseDhatFrame, type DhatFrame } from "./frame-string.js";
import { inlinedFlags } from "./inlined-runs.js";

const FORMAT = "dhat";
const FIX = "Record it again with `valgrind --tool=dhat --dhat-out-file=out.json <program>` (or dhat-rs's dhat::Profiler), and check that the program finished: DHAT writes the file at exit.";
/** The file version this reader knows (valgrind 3.15+ and dhat-rs write it). */
export const DHAT_FILE_VERSION = 2;

/** A DHAT event: its name in flamebook, the program-point field it sums, and when the file has it. */
interface DhatEvent {
  readonly name: string;
  readonly field: string;
  readonly when: "always" | "bklt" | "bkacc";
}

/**
 * The events of a DHAT profile, in this order. `blocks` and `bytes` are named by the file's
 * `bksu`/`bsu` units when it gives them (ad-hoc mode: "events" and "units").
 */
function eventsOf(blocksName: string, bytesName: string): DhatEvent[] {
  return [
    { name: blocksName, field: "tbk", when: "always" },
    { name: bytesName, field: "tb", when: "always" },
    { name: "maxBytes", field: "mb", when: "bklt" },
    { name: "readBytes", field: "rb", when: "bkacc" },
    { name: "writeBytes", field: "wb", when: "bkacc" },
  ];
}

/**
 * Reads a DHAT profile (valgrind's `--tool=dhat` output, or dhat-rs's `dhat-heap.json`): one
 * sample per program point (an allocation site: a call stack) and event, with exact weights —
 * `blocks` (allocations), `bytes` (allocated), `maxBytes` (the site's peak live bytes, when block
 * lifetimes were recorded), `readBytes`/`writeBytes` (when accesses were recorded). Stacks are
 * root first; entries sharing an address are inlined frames (see {@link inlinedFlags}); the
 * `[root]` entry is dropped. The unit is "events" (the counts are exact, like callgrind's).
 * One thread: the process (DHAT does not tell threads apart), named after the command.
 *
 * @example
 * const p = dhat.decode(readFileSync("dhat.out.1234"));
 * p.events; // ["blocks", "bytes", "maxBytes", "readBytes", "writeBytes"]
 */
export const dhat: Importer & { decode(bytes: Uint8Array, opts?: ImportOptions): Profile } = {
  name: FORMAT,
  extensions: [".json", "dhat-heap.json"], // valgrind names its file dhat.out.<pid>
  sniff: (head) => /^\s*\{\s*"dhatFileVersion"\s*:/.test(head),
  decode(bytes, opts = {}) {
    const doc = readJson(bytes, FORMAT, { source: opts.source, fix: FIX });
    return readDhat(doc, opts);
  },
};

function readDhat(doc: JsonDoc, opts: ImportOptions): Profile {
  const root = doc.object(doc.value, [], "a DHAT profile (an object with dhatFileVersion, pps and ftbl)");
  const version = get(root, "dhatFileVersion");
  if (version !== DHAT_FILE_VERSION) {
    doc.fail(["dhatFileVersion"], `${DHAT_FILE_VERSION}, the version this reader knows (valgrind 3.15 and later, dhat-rs)`, version, `${FIX} Files of other versions open in the dh_view.html of the valgrind that wrote them.`);
  }
  const mode = doc.string(get(root, "mode"), ["mode"]);
  const bklt = flag(doc, root, "bklt");
  const bkacc = flag(doc, root, "bkacc");
  let blocksName = unitName(doc, root, "bksu", "blocks");
  let bytesName = unitName(doc, root, "bsu", "bytes");
  // Units that would make two events one (the same name twice, or "maxBytes"…): the defaults.
  if (new Set([blocksName, bytesName, "maxBytes", "readBytes", "writeBytes"]).size < 5) [blocksName, bytesName] = ["blocks", "bytes"];
  const cmd = doc.string(get(root, "cmd"), ["cmd"], "");
  const pidValue = get(root, "pid");
  const pid = pidValue === undefined ? -1 : doc.number(pidValue, ["pid"]);
  const ftbl = doc.array(get(root, "ftbl"), ["ftbl"]);
  const pps = doc.array(get(root, "pps"), ["pps"]);

  const b = new ProfileBuilder({ format: FORMAT, source: opts.source, keepSamples: opts.keepSamples, unit: "events" });
  const events = eventsOf(blocksName, bytesName).filter((e) => e.when === "always" || (e.when === "bklt" ? bklt : bkacc));
  const eventIds = events.map((e) => b.event(e.name));
  const command = cmd.trim().split(/\s+/)[0] ?? "";
  const id = Number.isSafeInteger(pid) && pid >= 0 ? pid : -1;
  const thread = b.thread(command ? basename(command) : mode, id, id);
  const frames = new FrameTable(doc, ftbl, opts.cleanNames ?? false, b);

  for (let i = 0; i < pps.length; i++) {
    const at: JsonPath = ["pps", i];
    const pp = doc.object(pps[i], at);
    const fs = doc.array(get(pp, "fs"), [...at, "fs"]);
    const idx = new Int32Array(fs.length);
    for (let k = 0; k < fs.length; k++) idx[k] = frames.index(fs[k], [...at, "fs", k]);
    const values = events.map((e) => count(doc, get(pp, e.field), [...at, e.field]));
    const stack = frames.stack(idx);
    for (let e = 0; e < events.length; e++) if (values[e]! > 0) b.sample(stack, thread, eventIds[e]!, NaN, values[e]!);
  }
  if (pps.length === 0) b.warn(`dhat: the file has no program points: the program ${mode === "heap" || mode === "rust-heap" ? "allocated nothing on the heap" : "recorded no events"} while DHAT watched.`);
  return b.finish();
}

/** A mandatory boolean of the header. */
function flag(doc: JsonDoc, root: JsonObject, key: string): boolean {
  const v = get(root, key);
  if (typeof v !== "boolean") doc.fail([key], "true or false", v);
  return v;
}

/** An optional unit name of the header (`bksu`, `bsu`), as an event name. */
function unitName(doc: JsonDoc, root: JsonObject, key: string, dflt: string): string {
  const name = doc.string(get(root, key), [key], dflt).trim();
  return name === "" ? dflt : name;
}

/** A count: a non-negative integer. */
function count(doc: JsonDoc, v: unknown, path: JsonPath): number {
  if (typeof v === "number" && Number.isInteger(v) && v >= 0) return v;
  return doc.fail(path, "a count (a non-negative integer)", v);
}

/** The frame table: each entry parsed once, on first use; stacks built root first. */
class FrameTable {
  private readonly parsed: (DhatFrame | null | undefined)[];
  private readonly ids = new Map<string, number>();

  constructor(
    private readonly doc: JsonDoc,
    private readonly ftbl: readonly unknown[],
    private readonly clean: boolean,
    private readonly b: ProfileBuilder,
  ) {
    this.parsed = new Array(ftbl.length);
  }

  /** The frame-table index at `path`, checked. */
  index(v: unknown, path: JsonPath): number {
    const i = this.doc.index(v, path, this.ftbl.length, "ftbl");
    if (this.parsed[i] === undefined) {
      const text = this.doc.string(this.ftbl[i], ["ftbl", i]);
      this.parsed[i] = text === "[root]" ? null : parseDhatFrame(text);
    }
    return i;
  }

  /** The stack of `fs` (innermost first, `[root]` entries skipped), as a builder stack id. */
  stack(fs: Int32Array): number {
    const kept = fs.filter((i) => this.parsed[i] !== null);
    const addresses = Array.from(kept, (i) => this.parsed[i]!.address);
    const inlined = inlinedFlags(kept, addresses);
    let s = -1;
    for (let k = kept.length - 1; k >= 0; k--) s = this.b.stack(s, this.frame(kept[k]!, inlined[k]!));
    return s;
  }

  private frame(i: number, inlined: boolean): number {
    const key = `${i}${inlined ? "i" : ""}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      const f = this.parsed[i]!;
      const name = this.clean ? cleanRustName(f.name) : f.name;
      const kind = f.file !== null && f.file.endsWith(".rs") && name !== "[unknown]" ? "rust" : frameKind(name, f.module);
      id = this.b.frame(name, f.module, { inlined, kind, file: f.file, line: f.line });
      this.ids.set(key, id);
    }
    return id;
  }
}
