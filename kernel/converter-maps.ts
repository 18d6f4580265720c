/**
 * tslab's converter, loaded so that it keeps source maps of what it compiles: positions in the
 * JavaScript a cell runs as can then be mapped back to the cell (kernel/cell-positions.ts).
 *
 * tslab compiles a cell in two steps: its TypeScript watch program emits an ES module, which
 * `ts.transpileModule` turns into CommonJS. Neither step keeps a map and both options are fixed
 * inside tslab, so this module gives tslab's converter (a private copy of
 * `tslab/dist/converter.js`, loaded through `require.cache`) a view of its TypeScript in which
 * the watch program also emits an inline source map, and `transpileModule` strips that map,
 * makes one of its own and records both, keyed by the output text. The JavaScript that runs is
 * otherwise byte for byte what tslab produces.
 */
import { createRequire, Module, SourceMap, type SourceMapPayload } from "node:module";
import type * as TS from "typescript";
import type * as ConverterModule from "tslab/dist/converter.js";

const require = createRequire(import.meta.url);

/** Source maps of one compiled output: CommonJS → ES module → the converter's `.ts` source. */
export interface OutputMaps {
  /** From the CommonJS output to the ES module tslab's watch program emitted. */
  cjs: SourceMap;
  /** From that ES module to the source TypeScript (tslab's `__tslab__.ts`: a one-line prefix, then the cell). */
  esm: SourceMap;
}

/** tslab's converter module, plus the maps it recorded. */
export interface MappedConverter {
  createConverter: typeof ConverterModule.createConverter;
  isCompleteCode: typeof ConverterModule.isCompleteCode;
  /** The maps of an output converted since the last `clearMaps()`, or undefined. */
  mapsOf(output: string): OutputMaps | undefined;
  /** Forgets recorded maps (call before each conversion). */
  clearMaps(): void;
}

const INLINE_MAP = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;
const MAP_URL = /\/\/# sourceMappingURL=\S*\s*$/;

/**
 * Loads a private copy of tslab's converter that records source maps.
 *
 * @example
 * const { createConverter, mapsOf, clearMaps } = loadConverterWithMaps();
 * const conv = createConverter({ isJS: false, isBrowser: false });
 * clearMaps(); const out = conv.convert("", "throw new Error('x')"); mapsOf(out.output!); // { cjs, esm }
 */
export function loadConverterWithMaps(): MappedConverter {
  const converterPath = require.resolve("tslab/dist/converter");
  const fromConverter = createRequire(converterPath);
  const tsPath = fromConverter.resolve("@tslab/typescript-for-tslab");
  const ts = fromConverter(tsPath) as typeof TS;
  const maps = new Map<string, OutputMaps>();

  // The real module's exports are getters (not writable); the view forwards to them.
  const view: Record<string, unknown> = {};
  for (const key of Object.keys(ts)) {
    Object.defineProperty(view, key, { get: () => (ts as unknown as Record<string, unknown>)[key], enumerable: true, configurable: true });
  }
  const define = (key: string, value: unknown) => Object.defineProperty(view, key, { value, enumerable: true, configurable: true });
  define("createWatchCompilerHost", (...args: unknown[]) => {
    if (Array.isArray(args[0]) && typeof args[1] === "object" && args[1] !== null) {
      // types: only @types/node's globals are in every cell, not those of every @types package
      // installed (flamebook's own dependencies bring jquery, lodash…: +0.5 s of parsing per start);
      // an imported package still gets its @types through module resolution.
      args[1] = { ...(args[1] as TS.CompilerOptions), inlineSourceMap: true, sourceMap: false, types: ["node"] };
    }
    return (ts.createWatchCompilerHost as (...a: unknown[]) => unknown)(...args);
  });
  define("transpileModule", (input: string, options: TS.TranspileOptions): TS.TranspileOutput => {
    const inline = INLINE_MAP.exec(input);
    if (!inline) return ts.transpileModule(input, options);
    const out = ts.transpileModule(input.slice(0, inline.index), { ...options, compilerOptions: { ...options.compilerOptions, sourceMap: true } });
    const outputText = out.outputText.replace(MAP_URL, "");
    if (out.sourceMapText) {
      try {
        const esm = JSON.parse(Buffer.from(inline[1]!, "base64").toString("utf8")) as SourceMapPayload;
        const cjs = JSON.parse(out.sourceMapText) as SourceMapPayload;
        maps.set(outputText, { esm: new SourceMap(esm), cjs: new SourceMap(cjs) });
      } catch {
        // no map for this output: its positions stay unmapped
      }
    }
    const { sourceMapText: _dropped, ...rest } = out;
    return { ...rest, outputText };
  });

  const cache = require.cache;
  const realTs = cache[tsPath];
  const previousConverter = cache[converterPath];
  const fake = new Module(tsPath);
  fake.exports = view;
  fake.loaded = true;
  fake.filename = tsPath;
  cache[tsPath] = fake;
  delete cache[converterPath];
  let converter: typeof ConverterModule;
  try {
    converter = require(converterPath) as typeof ConverterModule;
  } finally {
    if (realTs) cache[tsPath] = realTs;
    else delete cache[tsPath];
    if (previousConverter) cache[converterPath] = previousConverter;
    else delete cache[converterPath];
  }
  return {
    createConverter: converter.createConverter,
    isCompleteCode: converter.isCompleteCode,
    mapsOf: (output) => maps.get(output),
    clearMaps: () => maps.clear(),
  };
}
