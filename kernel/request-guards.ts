/**
 * Checking a request's content at the kernel's boundary: the wire layer gives a JSON object of
 * unknown fields; a guard per message type turns it into the content type of `messages.ts`, or
 * names the field that is missing or of the wrong type. Hand-written rather than zod: importing
 * zod costs the kernel ~70 ms at start (twice the rest of its bundle), before its first reply.
 *
 * An optional field that is `null` counts as absent (front ends and Python clients send `None`).
 * Fields the kernel does not read are neither checked nor passed on.
 */
import type { RequestContent, RequestType } from "./messages.js";
import type { JsonObject } from "./wire.js";

/** A checked content, or what is wrong with it. */
export type Checked<T> = { ok: true; value: T } | { ok: false; field: string; error: string };

/** One field's type: what it must be (for the message) and the test. */
interface Field<T> {
  expected: string;
  is(v: unknown): v is T;
}

const field = <T>(expected: string, is: (v: unknown) => v is T): Field<T> => ({ expected, is });
const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

const string = field("a string", (v): v is string => typeof v === "string");
const boolean = field("a boolean", (v): v is boolean => typeof v === "boolean");
const object = field("a JSON object", isObject);
const integer = field("an integer", (v): v is number => Number.isSafeInteger(v));
const count = field("a non-negative integer", (v): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0);
const oneOf = <const V extends string>(...values: V[]) =>
  field(`one of ${values.map((s) => JSON.stringify(s)).join(", ")}`, (v): v is V => values.some((x) => x === v));

type FieldType<F> = F extends Field<infer T> ? T : never;
type Fields = Record<string, Field<unknown>>;
type Shape<R extends Fields, O extends Fields> = { [K in keyof R]: FieldType<R[K]> } & { [K in keyof O]?: FieldType<O[K]> };

/** How a wrong value is described: "got a number", "got null", "got an array". */
function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  const t = typeof v;
  return `${/^[aeiou]/.test(t) ? "an" : "a"} ${t}`;
}

/** A guard for an object with `required` and `optional` fields. */
function shape<R extends Fields, O extends Fields>(required: R, optional: O): (content: JsonObject) => Checked<Shape<R, O>> {
  return (content) => {
    const out: JsonObject = {};
    for (const [name, f] of Object.entries(required)) {
      const v = content[name];
      if (v === undefined) return { ok: false, field: name, error: `content.${name} is missing (expected ${f.expected})` };
      if (!f.is(v)) return { ok: false, field: name, error: `content.${name} must be ${f.expected}, got ${describe(v)}` };
      out[name] = v;
    }
    for (const [name, f] of Object.entries(optional)) {
      const v = content[name];
      if (v === undefined || v === null) continue;
      if (!f.is(v)) return { ok: false, field: name, error: `content.${name} must be ${f.expected} when given, got ${describe(v)}` };
      out[name] = v;
    }
    // Each field of `out` passed its guard above.
    return { ok: true, value: out as Shape<R, O> };
  };
}

/** The guard of every message type the kernel handles. */
const GUARDS: { readonly [T in RequestType]: (content: JsonObject) => Checked<RequestContent<T>> } = {
  kernel_info_request: () => ({ ok: true, value: {} }),
  execute_request: shape(
    { code: string },
    { silent: boolean, store_history: boolean, user_expressions: object, allow_stdin: boolean, stop_on_error: boolean },
  ),
  complete_request: shape({ code: string }, { cursor_pos: count }),
  inspect_request: shape({ code: string }, { cursor_pos: count, detail_level: count }),
  is_complete_request: shape({ code: string }, {}),
  history_request: shape(
    {},
    {
      output: boolean,
      raw: boolean,
      hist_access_type: oneOf("range", "tail", "search"),
      session: integer,
      start: integer,
      stop: integer,
      n: integer,
      pattern: string,
      unique: boolean,
    },
  ),
  comm_info_request: shape({}, { target_name: string }),
  comm_open: shape({ comm_id: string, target_name: string }, { data: object, target_module: string }),
  comm_msg: shape({ comm_id: string }, { data: object }),
  comm_close: shape({ comm_id: string }, { data: object }),
  interrupt_request: () => ({ ok: true, value: {} }),
  shutdown_request: shape({}, { restart: boolean }),
};

/**
 * Checks the content of a `type` message: its typed content, or the field at fault and a sentence
 * naming it (`content.code is missing (expected a string)`).
 *
 * @example
 * const c = checkRequest("execute_request", msg.content);
 * if (c.ok) run(c.value.code); else reply({ status: "error", ename: "InvalidRequest", evalue: c.error, traceback: [] });
 */
export function checkRequest<T extends RequestType>(type: T, content: JsonObject): Checked<RequestContent<T>> {
  return GUARDS[type](content);
}
