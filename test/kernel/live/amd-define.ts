// The page side of the live browser test (bundled, not a test file): a minimal global AMD `define`
// that records each module's factory under its first dependency list, for anywidget-amd.ts.
type Factory = (...deps: unknown[]) => unknown;

const factories = new Map<string, Factory>();

(globalThis as unknown as { define: (deps: string[], f: Factory) => void }).define = (deps, f) => {
  factories.set(deps.join(","), f);
};

/** The factory of the module defined with these dependencies. */
export function amdFactory(deps: string): Factory {
  const f = factories.get(deps);
  if (!f) throw new Error(`no AMD module was defined with dependencies [${deps}]`);
  return f;
}
