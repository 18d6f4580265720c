// The TypeScript that tslab compiles notebook cells with: its own build (@tslab/typescript-for-tslab,
// 5.0), not the project's `typescript` (a devDependency, absent from an installed flamebook).
// The kernel's pieces use this one instance, so that they read code as the converter does and the
// 8 MB module is loaded once (the kernel loads it first, with a V8 code cache). The parameter check
// of `flamebook run` keeps a copy of its own (see src/notebook/parameter-types.ts).
import { createRequire } from "node:module";
import type * as TS from "typescript";

let fromTslab: NodeJS.Require | undefined;

/**
 * `require` as tslab's own package resolves: its dependencies, whatever the project has.
 *
 * @example
 * tslabRequire()("@tslab/typescript-for-tslab/package.json").version; // "5.0.4"
 */
export function tslabRequire(): NodeJS.Require {
  return (fromTslab ??= createRequire(createRequire(import.meta.url).resolve("tslab/package.json")));
}

/**
 * The path of tslab's TypeScript module.
 *
 * @example
 * requireWithCodeCache(tslabTypeScriptPath()); // load it with a V8 code cache
 */
export function tslabTypeScriptPath(): string {
  return tslabRequire().resolve("@tslab/typescript-for-tslab");
}

/**
 * tslab's TypeScript, loaded on first use (or the instance the kernel already loaded).
 *
 * @example
 * tslabTypeScript().createSourceFile("cell.ts", "const n = 3", tslabTypeScript().ScriptTarget.ES2022);
 */
export function tslabTypeScript(): typeof TS {
  return tslabRequire()(tslabTypeScriptPath()) as typeof TS;
}
