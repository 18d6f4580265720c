// Random inputs for the JSON importers' property tests: mutated fixtures (mostly: keys deleted,
// values replaced by wrong types or out-of-range numbers), truncated text, random JSON, bytes.
import assert from "node:assert/strict";
import fc from "fast-check";
import { FormatError } from "../../src/model/errors.js";
import type { Profile } from "../../src/model/profile.js";
import { assertValid } from "./valid-profile.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Mutable = Record<string, any> & any[];

/**
 * The property tests' seed: fixed so CI is repeatable; set FUZZ_SEED to explore other inputs
 * (fast-check prints the seed and path of any failure to replay it).
 */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261125);

/** How the mutations look. Every option documents its default. */
export interface JsonFuzzOptions {
  /** How deep a mutation reaches into the document. Default: 8. */
  maxPath?: number;
  /** Numbers put in place of values. Default: -1, 0, 1, 2, ±0.5, 1e9, 2^31, 2^53, ±1e308. */
  numbers?: number[];
  /** The largest small integer put in place of values (indices, mostly). Default: 20. */
  maxInt?: number;
}

const DEFAULTS: Required<JsonFuzzOptions> = { maxPath: 8, numbers: [-1, 0, 1, 2, 0.5, -0.5, 1e9, 2 ** 31, 2 ** 53, -1e308, 1e308], maxInt: 20 };

const mutationOf = (o: Required<JsonFuzzOptions>) =>
  fc.record({
  path: fc.array(fc.nat(), { maxLength: o.maxPath }),
  kind: fc.constantFrom("delete", "value", "number", "string", "null", "empty-array"),
  value: fc.jsonValue({ maxDepth: 2 }),
  num: fc.oneof(
    fc.constantFrom(...o.numbers),
    fc.integer({ min: -3, max: o.maxInt }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
  ),
});
type Mutation = ReturnType<typeof mutationOf> extends fc.Arbitrary<infer T> ? T : never;

/** Applies mutations at paths chosen by index (modulo the number of keys at each level). */
export function mutate(base: unknown, ops: readonly Mutation[]): unknown {
  const root = structuredClone(base);
  for (const op of ops) {
    let parent: Mutable | null = null;
    let key: string | number = "";
    let cur: unknown = root;
    for (const step of op.path) {
      if (cur === null || typeof cur !== "object") break;
      const keys = Array.isArray(cur) ? cur.map((_, i) => i) : Object.keys(cur);
      if (keys.length === 0) break;
      parent = cur as Mutable;
      key = keys[step % keys.length]!;
      cur = parent[key as number];
    }
    if (parent === null) continue;
    if (op.kind === "delete") {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as number];
    } else parent[key as number] = op.kind === "value" ? op.value : op.kind === "number" ? op.num : op.kind === "string" ? String(op.num) : op.kind === "null" ? null : [];
  }
  return root;
}

/** Random inputs: mutated fixtures (mostly), truncated text, random JSON values and bytes. */
export function jsonInputs(bases: readonly unknown[], options: JsonFuzzOptions = {}): fc.Arbitrary<Uint8Array> {
  const o = { ...DEFAULTS, ...options };
  const mutation = mutationOf(o);
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ base: fc.nat(), ops: fc.array(mutation, { minLength: 1, maxLength: 4 }) }).map(({ base, ops }) => Buffer.from(JSON.stringify(mutate(bases[base % bases.length], ops)))) },
    { weight: 1, arbitrary: fc.record({ base: fc.nat(), cut: fc.nat() }).map(({ base, cut }) => { const t = JSON.stringify(bases[base % bases.length]); return Buffer.from(t.slice(0, cut % t.length)); }) },
    { weight: 1, arbitrary: fc.json().map((s) => Buffer.from(s)) },
    { weight: 1, arbitrary: fc.anything().map((v) => Buffer.from(JSON.stringify(v) ?? "")) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
  );
}

/**
 * The JSON importers' property: 10k inputs from {@link jsonInputs} each give a valid profile or a
 * FormatError naming the format and a line (anything else fails), and both outcomes happen
 * often (> 500 each), so the generator really reaches both sides.
 */
export function assertDecodesOrFormatError(
  format: string,
  decode: (bytes: Uint8Array) => Profile,
  bases: readonly unknown[],
  options: JsonFuzzOptions = {},
): void {
  let valid = 0;
  let errors = 0;
  fc.assert(
    fc.property(jsonInputs(bases, options), (bytes) => {
      let p: Profile;
      try {
        p = decode(bytes);
      } catch (e) {
        if (!(e instanceof FormatError)) throw e;
        assert.ok(Number.isInteger(e.line) && e.line >= 1 && e.message.startsWith(`flamebook: ${format} line `), e.message);
        errors++;
        return;
      }
      assertValid(p, { emptyStacks: true });
      valid++;
    }),
    { numRuns: 10000, seed: FUZZ_SEED },
  );
  assert.ok(valid > 500 && errors > 500, `valid ${valid}, errors ${errors}`);
}
