/**
 * Makes `import … from "flamebook"` work in every notebook the kernel runs, like `import tslab`
 * does in tslab: when the notebook's directory cannot resolve `flamebook` itself (no
 * `node_modules/flamebook` there or above), cells get the copy the kernel belongs to. The same
 * goes for `arquero`, which the README and every notebook import beside flamebook (`aq.desc`,
 * `aq.op`): a project without its own gets flamebook's copy, the one its tables are made with.
 *
 * Two resolvers need it. At run time, cells are CommonJS and resolve through Node's
 * `Module._resolveFilename`. At compile time, tslab's TypeScript resolves modules through its
 * `ts.sys`, so paths under `<cwd>/node_modules/flamebook/` are served from the package root (its
 * own dependencies, in `<root>/node_modules`, are then found the same way). A project that has
 * its own `flamebook` keeps using it: nothing is redirected then.
 */
import { createRequire, Module } from "node:module";
import { existsSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { packageRoot } from "../src/fs/package-root.js";
import { tslabTypeScript } from "../src/notebook/tslab-typescript.js";

const NAME = "flamebook";
/** Packages cells may import without installing them: flamebook, and what its docs import beside it. */
const PROVIDED = [NAME, "arquero"] as const;

/** The file-system methods of a TypeScript `System` that this module redirects. */
interface TsSys {
  fileExists(path: string): boolean;
  directoryExists(path: string): boolean;
  readFile(path: string, encoding?: string): string | undefined;
  readDirectory(path: string, ...rest: unknown[]): string[];
  getDirectories(path: string): string[];
  realpath?(path: string): string;
}

/** Directories already redirected in this process (each needs it once). */
const provided = new Set<string>();

type ResolveFilename = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;

/**
 * Redirects `flamebook` to the kernel's own package for cells run from `cwd`, unless a
 * `node_modules/flamebook` exists there or above. Returns where it points, or undefined when the project has its own.
 *
 * @example
 * provideOwnPackage(process.cwd()); // before tslab's converter is created
 */
export function provideOwnPackage(cwd: string, ownRoot = packageRoot()): string | undefined {
  const root = resolve(ownRoot);
  if (provided.has(resolve(cwd))) return root;
  if (installedAbove(cwd, NAME)) return undefined; // the project's own copy wins
  const fromRoot = createRequire(join(root, "package.json"));
  // each package the project lacks, and where flamebook's copy of it is
  const redirected = new Map<string, string>();
  for (const name of PROVIDED) {
    if (name !== NAME && installedAbove(cwd, name)) continue;
    redirected.set(name, name === NAME ? root : packageDir(fromRoot, name));
  }
  const moduleStatics = Module as unknown as { _resolveFilename: ResolveFilename };
  const original = moduleStatics._resolveFilename;
  moduleStatics._resolveFilename = function (request, parent, isMain, options) {
    try {
      return original.call(this, request, parent, isMain, options);
    } catch (e) {
      const name = [...redirected.keys()].find((n) => request === n || request.startsWith(`${n}/`));
      if (name === undefined) throw e;
      return fromRoot.resolve(request); // the package's self-reference, or its dependency, through "exports"
    }
  };
  const ts = tslabTypeScript() as unknown as { sys: TsSys };
  for (const [name, dir] of redirected) redirectTsSys(ts.sys, resolve(cwd, "node_modules", name), dir);
  provided.add(resolve(cwd));
  return root;
}

/** The directory of package `name` as `req` resolves it (its package.json's directory). */
function packageDir(req: NodeJS.Require, name: string): string {
  return dirname(req.resolve(`${name}/package.json`));
}

/** Whether `node_modules/<name>` exists in `dir` or a directory above it (how both resolvers look). */
function installedAbove(dir: string, name: string): boolean {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, "node_modules", name, "package.json"))) return true;
    if (dirname(d) === d) return false;
  }
}

/** Serves `virtualDir` (and everything under it) from `realDir` in `sys`, in place. */
function redirectTsSys(sys: TsSys, virtualDir: string, realDir: string): void {
  const map = (p: string): string => {
    const abs = resolve(p);
    if (abs === virtualDir) return realDir;
    if (abs.startsWith(virtualDir + sep)) return realDir + abs.slice(virtualDir.length);
    return p;
  };
  const under = (p: string) => map(p) !== p;
  const { fileExists, directoryExists, readFile, readDirectory, getDirectories, realpath } = sys;
  sys.fileExists = (p) => fileExists.call(sys, map(p));
  sys.directoryExists = (p) => directoryExists.call(sys, map(p));
  sys.readFile = (p, enc) => readFile.call(sys, map(p), enc);
  sys.getDirectories = (p) => getDirectories.call(sys, map(p));
  sys.readDirectory = (p, ...rest) => {
    const found = readDirectory.call(sys, map(p), ...rest);
    return under(p) ? found.map((f) => (f.startsWith(realDir) ? virtualDir + f.slice(realDir.length) : f)) : found;
  };
  // Virtual paths stay virtual: TypeScript then treats the package as an external library.
  if (realpath) sys.realpath = (p) => (under(p) ? p : realpath.call(sys, p));
}
