// Format: folded stacks, the text interface of Brendan Gregg's FlameGraph (stackcollapse-*.pl)
// and inferno: one line per stack, `root;caller;leaf count`, frames separated by ";".
// Suffixes `_[k]` (kernel) and `_[i]` (inlined) are read as frame attributes.
import { ProfileBuilder } from "../model/profile-builder.js";
import type { Profile } from "../model/profile.js";
import { cleanRustName } from "../model/rust-names.js";
import type { ImportOptions, LineImporter, LineParser } from "./importer.js";

const LINE = /^(.*\S)\s+(\d+(?:\.\d+)?(?:e[+-]?\d+)?)$/;

class FoldedParser implements LineParser<Profile> {
  private readonly b: ProfileBuilder;
  private readonly clean: boolean;
  private readonly thread: number;
  private readonly event: number;
  private stray = 0;
  private firstStray = 0;

  constructor(opts: ImportOptions) {
    this.b = new ProfileBuilder({ format: "folded", source: opts.source, keepSamples: opts.keepSamples });
    this.clean = opts.cleanNames ?? false;
    this.thread = this.b.thread("", -1, -1);
    this.event = this.b.event("samples");
  }

  line(text: string, no: number): void {
    if (no === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const t = text.trim();
    if (t === "" || t.startsWith("#") || t.startsWith("//")) return;
    const m = LINE.exec(t);
    if (!m) {
      if (this.stray++ === 0) this.firstStray = no;
      return;
    }
    const weight = Number(m[2]);
    let s = -1;
    for (const raw of m[1]!.split(";")) {
      if (raw === "") continue;
      let name = raw;
      let kind: "kernel" | undefined;
      let inlined = false;
      if (name.endsWith("_[k]")) {
        name = name.slice(0, -4);
        kind = "kernel";
      } else if (name.endsWith("_[i]")) {
        name = name.slice(0, -4);
        inlined = true;
      }
      if (this.clean) name = cleanRustName(name);
      s = this.b.stack(s, this.b.frame(name, "", { kind, inlined }));
    }
    if (s >= 0 && weight > 0) this.b.sample(s, this.thread, this.event, NaN, weight);
  }

  end(unterminated: string, no: number): Profile {
    if (unterminated.length > 0) this.line(unterminated, no);
    if (this.stray > 0) {
      this.b.warn(`folded: skipped ${this.stray} line(s) that are not 'frame;frame;frame count' (the first at line ${this.firstStray}).`);
    }
    return this.b.finish();
  }
}

/**
 * Reads folded stacks. Comment lines (`#`, `//`), blank lines and a UTF-8 BOM are skipped;
 * stray lines are skipped and counted in a warning instead of failing the whole file.
 *
 * @example
 * const p = await parseInput(folded.parser(), "main;work 3\nmain 1\n"); // 2 stacks, 4 samples
 */
export const folded: LineImporter = {
  extensions: [".folded", ".collapsed", ".txt"],
  name: "folded",
  sniff: (head) => /^[^\s;][^\n]*;[^\n]*\s\d+\r?$/m.test(head),
  parser: (opts = {}) => new FoldedParser(opts),
};
