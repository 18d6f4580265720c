/**
 * Type checks of `--param` values against the parameters cell: papermill leaves a string where a
 * number was meant to the user; flamebook's cells are typed, so a value that does not fit the
 * declaration is refused before anything runs. The check is done by the TypeScript that checks
 * the cells (tslab's), on the parameters cell alone, with `const` read as `let` (so that
 * `const size = 20000` means "a number", as the default of a parameter does).
 */
import { createRequire } from "node:module";
import type * as TS from "typescript";
import type { JsonValue } from "./nbformat.js";

const require = createRequire(import.meta.url);
let ts: typeof TS | undefined;
/**
 * The TypeScript that type-checks parameters, loaded on first use: the `typescript` package found
 * from tslab's directory (the project's own, 5.9), not tslab's 5.0 instance that compiles the
 * cells. Deliberately a separate copy: a program built with the kernel's instance here, before
 * the kernel starts and from another working directory, leaves it unable to resolve `flamebook`
 * for the cells (test/notebook/run-command.test.ts fails that way).
 */
function typescript(): typeof TS {
  ts ??= createRequire(require.resolve("tslab"))("typescript") as typeof TS;
  return ts;
}

/** A parameter whose value does not fit its declaration. */
export interface ParameterMismatch {
  name: string;
  /** The declared type, as TypeScript writes it (`number`, `string[]`, `"abba" | "random"`). */
  declared: string;
  /** TypeScript's own words. */
  message: string;
}

/**
 * The parameters whose JSON values do not fit the types the parameters cell declares. Names the
 * cell does not declare, and declarations whose type TypeScript cannot tell on the cell alone
 * (`any`: values computed from imports), are not judged here.
 *
 * @example
 * parameterTypeMismatches("const size = 20000;", { size: "abc" });
 * // [{ name: "size", declared: "number", message: "Type 'string' is not assignable to type 'number'." }]
 */
export function parameterTypeMismatches(cellSource: string, params: Record<string, JsonValue>, literalOf: (name: string, v: JsonValue) => string): ParameterMismatch[] {
  const names = Object.keys(params);
  if (names.length === 0) return [];
  const t = typescript();
  const file = "parameters.ts";
  const parsed = t.createSourceFile(file, cellSource, t.ScriptTarget.ES2022, true, t.ScriptKind.TS);
  // `const` → `let` at the top level (same length: "const" is padded), so literal types widen
  let source = cellSource;
  for (const st of parsed.statements) {
    if (t.isVariableStatement(st) && (st.declarationList.flags & t.NodeFlags.Const) !== 0) {
      const at = st.declarationList.getStart(parsed);
      source = `${source.slice(0, at)}let  ${source.slice(at + 5)}`;
    }
  }
  const checkStart = source.length + 1;
  source += `\n${names.map((n) => `${n} = (${literalOf(n, params[n]!)});`).join("\n")}\n`;
  const options: TS.CompilerOptions = { strict: true, noEmit: true, target: t.ScriptTarget.ES2022, lib: ["lib.es2022.d.ts"], types: [], skipLibCheck: true };
  const host = t.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) => (name === file ? t.createSourceFile(file, source, lang, true, t.ScriptKind.TS) : getSourceFile(name, lang, ...rest));
  const program = t.createProgram([file], options, host);
  const sf = program.getSourceFile(file)!;
  const checker = program.getTypeChecker();
  const out: ParameterMismatch[] = [];
  for (const d of program.getSemanticDiagnostics(sf)) {
    if (d.start === undefined || d.start < checkStart) continue;
    const line = sf.statements.find((s) => s.getStart(sf) <= d.start! && d.start! < s.end);
    if (!line || !t.isExpressionStatement(line) || !t.isBinaryExpression(line.expression)) continue;
    const target = line.expression.left;
    if (!t.isIdentifier(target)) continue;
    const declared = checker.typeToString(checker.getTypeAtLocation(target));
    if (declared === "any") continue;
    out.push({ name: target.text, declared, message: t.flattenDiagnosticMessageText(d.messageText, " ") });
  }
  return out;
}
