/**
 * Notebook parameters, papermill-style: the cell tagged `parameters` declares defaults
 * (`const runs = 10;`); a run injects a cell tagged `injected-parameters` right after it that
 * redeclares the overridden ones. Values are JSON literals, so a parameter can never be code.
 */
import type { Cell, JsonValue, Notebook } from "./nbformat.js";
import { parameterTypeMismatches } from "./parameter-types.js";

/** Parameter values by name. */
export type Parameters = Record<string, JsonValue>;

const IDENT = /^[A-Za-z_$][\w$]*$/;

function tags(c: Cell): string[] {
  const t = c.metadata.tags;
  return Array.isArray(t) ? t.filter((x): x is string => typeof x === "string") : [];
}

/**
 * Parses `name=value` pairs from the command line. A value that is valid JSON (a number,
 * `true`, `"quoted"`, `[1,2]`…) is used as that JSON value; anything else is a string.
 *
 * @example
 * parseParameterArgs(["runs=3", "crate=crates/x", 'order="random"']);
 * // { runs: 3, crate: "crates/x", order: "random" }
 */
export function parseParameterArgs(args: readonly string[]): Parameters {
  const out: Parameters = {};
  for (const arg of args) {
    const eq = arg.indexOf("=");
    if (eq <= 0) throw new Error(`flamebook: bad parameter ${JSON.stringify(arg)}: write it as name=value (e.g. --param runs=3).`);
    const name = arg.slice(0, eq).trim();
    if (!IDENT.test(name)) throw new Error(`flamebook: bad parameter name ${JSON.stringify(name)}: it must be a TypeScript identifier (letters, digits, _ and $).`);
    if (name === "__proto__") throw new Error(`flamebook: bad parameter name "__proto__": it is not a variable a notebook can declare.`);
    const raw = arg.slice(eq + 1);
    let value: JsonValue;
    try {
      value = JSON.parse(raw) as JsonValue;
    } catch {
      value = raw;
    }
    out[name] = value;
  }
  return out;
}

/**
 * The names a parameters cell declares at its top level (`const`/`let`/`var`, one or several
 * per statement, with or without a type annotation).
 *
 * @example
 * declaredParameters("const runs = 10; // runs per variant\nlet store: string = '.flamebook';"); // ["runs", "store"]
 */
export function declaredParameters(source: string): string[] {
  const names: string[] = [];
  // Strip comments and string contents so a name inside them is not taken for a declaration.
  const code = source
    .replace(/\/\*[\s\S]*?\*\//g, " ")
    .replace(/\/\/[^\n]*/g, " ")
    .replace(/(["'`])(?:\\.|(?!\1)[^\\])*\1/g, '""');
  const decl = /(?:^|[;\n])\s*(?:export\s+)?(?:const|let|var)\s+([^;\n]+)/g;
  for (const m of code.matchAll(decl)) {
    // Split the declarator list at top-level commas (not those inside brackets).
    let depth = 0;
    let start = 0;
    const list = m[1]!;
    const parts: string[] = [];
    for (let i = 0; i < list.length; i++) {
      const ch = list[i]!;
      if ("([{<".includes(ch)) depth++;
      else if (")]}>".includes(ch)) depth--;
      else if (ch === "," && depth === 0) {
        parts.push(list.slice(start, i));
        start = i + 1;
      }
    }
    parts.push(list.slice(start));
    for (const p of parts) {
      const name = /^\s*([A-Za-z_$][\w$]*)/.exec(p)?.[1];
      if (name && !names.includes(name)) names.push(name);
    }
  }
  return names;
}

/** A JSON value as a TypeScript expression; object keys that would set a prototype are refused. */
function literal(name: string, v: JsonValue): string {
  const check = (x: JsonValue): void => {
    if (Array.isArray(x)) x.forEach(check);
    else if (x !== null && typeof x === "object")
      for (const [k, y] of Object.entries(x)) {
        if (k === "__proto__") throw new Error(`flamebook: parameter ${name}: the key "__proto__" is not allowed.`);
        check(y);
      }
  };
  check(v);
  if (typeof v === "number" && !Number.isFinite(v)) throw new Error(`flamebook: parameter ${name}: ${v} is not a JSON number.`);
  // JSON is valid TypeScript except that TypeScript's scanner ends a string at U+2028/U+2029: escape them.
  return JSON.stringify(v).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/** Why a value may not be what the user meant: `-p` reads valid JSON as JSON, anything else as a string. */
function hint(v: JsonValue, declared: string, name: string): string {
  const takesText = /\bstring\b|"/.test(declared);
  if (typeof v === "string" && !takesText) return " (a value that is not valid JSON is read as a string)";
  if ((typeof v === "number" || typeof v === "boolean" || v === null) && takesText) return `; to pass the text ${JSON.stringify(v)}, quote it as JSON: -p ${name}='${JSON.stringify(JSON.stringify(v))}'`;
  return "";
}

/**
 * A copy of the notebook with `params` injected after the cell tagged `parameters`, as a new code
 * cell tagged `injected-parameters` (an earlier injected cell is replaced). Every name must be
 * declared in the parameters cell, and every value must fit the declared type (checked by
 * TypeScript, see parameter-types.ts); an unknown name, a value of the wrong type, or a notebook
 * without a parameters cell is an error naming the cell. No parameters → the notebook unchanged.
 *
 * @example
 * const nb2 = injectParameters(nb, { runs: 3 }, "clone-in-loop.ipynb");
 * nb2.cells[2].source; // "// Parameters injected by flamebook run\nconst runs = 3;\n"
 */
export function injectParameters(nb: Notebook, params: Parameters, source = "the notebook"): Notebook {
  const names = Object.keys(params);
  if (names.length === 0) return nb;
  const at = nb.cells.findIndex((c) => c.cell_type === "code" && tags(c).includes("parameters"));
  if (at < 0) {
    throw new Error(`flamebook: ${source} has no cell tagged "parameters", so --param ${names[0]}=… has nowhere to go. Tag the cell that declares the defaults with "parameters" (cell metadata tags).`);
  }
  const declared = declaredParameters(nb.cells[at]!.source);
  for (const n of names) {
    if (!IDENT.test(n)) throw new Error(`flamebook: bad parameter name ${JSON.stringify(n)}: it must be a TypeScript identifier.`);
    if (!declared.includes(n)) {
      throw new Error(`flamebook: ${source} (cell ${at + 1}, tagged "parameters") does not declare ${JSON.stringify(n)}; it declares: ${declared.join(", ") || "nothing"}.`);
    }
  }
  // a value must fit what the cell declares: `-p size=abc` for `const size = 20000` is refused here
  const mismatch = parameterTypeMismatches(nb.cells[at]!.source, params, literal)[0];
  if (mismatch) {
    const v = params[mismatch.name]!;
    const given = v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : `${typeof v === "number" ? "a number" : typeof v === "string" ? "a string" : "a boolean"}`;
    throw new Error(
      `flamebook: ${source} (cell ${at + 1}, tagged "parameters") declares ${mismatch.name} as ${mismatch.declared}, ` +
        `but -p ${mismatch.name}=${typeof v === "string" ? v : JSON.stringify(v)} gives ${given} (${mismatch.message}). ` +
        `Give a value of type ${mismatch.declared}${hint(v, mismatch.declared, mismatch.name)}.`,
    );
  }
  const code = ["// Parameters injected by flamebook run", ...names.map((n) => `const ${n} = ${literal(n, params[n]!)};`)].join("\n") + "\n";
  const injected: Cell = { cell_type: "code", id: `injected-parameters`, source: code, metadata: { tags: ["injected-parameters"] }, outputs: [], execution_count: null };
  const cells = nb.cells.filter((c) => !tags(c).includes("injected-parameters"));
  const pos = cells.findIndex((c) => c === nb.cells[at]);
  return { ...nb, cells: [...cells.slice(0, pos + 1), injected, ...cells.slice(pos + 1)] };
}
