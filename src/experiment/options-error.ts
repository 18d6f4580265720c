// Wrong experiment options, in flamebook's words: the option, its value and what is allowed,
// translated from the issues of the options' zod schema.
import { z } from "zod";
import { formatPath, preview } from "../samples/json-input.js";
import { experimentSpecSchema } from "./record-schema.js";

/** What a zod type name means in a sentence. */
const EXPECTED: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "an object",
  record: "an object",
};

/**
 * The error of wrong experiment options: one sentence per issue, each naming the option (as a
 * path, e.g. `variants.after.features`), its value and what is allowed. Issues must carry their
 * input (parse with `reportInput: true`).
 *
 * @example
 * optionsError(schema.safeParse(opts, { reportInput: true }).error!.issues).message;
 * // 'flamebook: experiment option noise must be a number < 1, got 5.'
 */
export function optionsError(issues: readonly z.core.$ZodIssue[]): Error {
  return new Error(issues.map(sentence).join("\n"));
}

function sentence(i: z.core.$ZodIssue): string {
  const path = i.path.filter((k): k is string | number => typeof k !== "symbol");
  const option = path.length === 0 ? "experiment options" : `experiment option ${formatPath(path)}`;
  const got = preview(i.input);
  if (path.length === 0) return `flamebook: experiment() takes an options object, e.g. { exe, variants: { before: {}, after: { env: { FAST: "1" } } } }; got ${i.input === undefined ? "nothing" : got}.`;
  switch (i.code) {
    case "custom":
      // "must be an AbortSignal" is about the option; anything else is a whole sentence
      return i.message.startsWith("must ") ? `flamebook: ${option} ${i.message}, got ${got}.` : `flamebook: ${i.message}.`;
    case "invalid_value": {
      // "unknown measure "gpu"", named after the nearest key (not the list index)
      const name = [...path].reverse().find((k) => typeof k === "string") ?? "value";
      return `flamebook: unknown ${name} ${got}; ${option.replace(/\[\d+\]$/, "")} takes ${orList(i.values.map((v) => JSON.stringify(v)))}.`;
    }
    case "invalid_type": {
      const expected = i.expected === "number" && wholeNumber(path) ? EXPECTED.int : (EXPECTED[i.expected] ?? i.expected);
      if (i.input === undefined) return `flamebook: ${option} is missing; it must be ${expected}.`;
      return `flamebook: ${option} must be ${expected}, got ${got}.`;
    }
    case "too_small":
    case "too_big": {
      const bound = i.code === "too_small" ? i.minimum : i.maximum;
      const op = i.code === "too_small" ? (i.inclusive ? "≥" : ">") : i.inclusive ? "≤" : "<";
      if (i.origin === "number") return `flamebook: ${option} must be ${wholeNumber(path) ? "a whole number" : "a number"} ${op} ${String(bound)}, got ${got}.`;
      return `flamebook: ${option} must have ${op} ${String(bound)} ${i.origin === "string" ? "characters" : "items"}, got ${got}.`;
    }
    case "unrecognized_keys":
      return `flamebook: unknown ${option} ${i.keys.join(", ")}.`;
    default:
      return `flamebook: ${option}: ${i.message}, got ${got}.`;
  }
}

/** Whether the spec field at the top of `path` takes whole numbers only. */
function wholeNumber(path: readonly (string | number)[]): boolean {
  const field = (experimentSpecSchema.shape as Record<string, z.ZodType>)[String(path[0])];
  return field instanceof z.ZodNumber && field.format === "safeint";
}

function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "nothing") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}
