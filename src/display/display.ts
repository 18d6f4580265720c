import { MIMEBUNDLE, mimeBundleOf } from "./mime.js";

/**
 * A mimebundle as hosts receive it (the shape of `MimeBundle` in src/render/table-bundle.ts,
 * declared here so that this module's types import nothing: the kernel types its cells'
 * `display` and `clearOutput` globals from this file's declarations alone).
 */
type MimeBundle = Record<string, string | Record<string, unknown>>;

/** What a kernel provides to show outputs: `display_data`, `update_display_data`, `clear_output`. */
export interface DisplayHost {
  display(bundle: MimeBundle, opts: { displayId?: string; update: boolean }): void;
  clearOutput(wait: boolean): void;
}

// Shared through globalThis: the kernel and the cells may hold two copies of this module.
const KEY = Symbol.for("flamebook.displayHost");
const slot = globalThis as Record<symbol, DisplayHost | undefined>;

/**
 * Installs (or removes) the display host; the flamebook kernel does at start.
 *
 * @example
 * setDisplayHost(kernelDisplay);
 */
export function setDisplayHost(h: DisplayHost | undefined): void {
  slot[KEY] = h;
}

/**
 * Whether a display host (the flamebook kernel) is installed: outputs then reach a notebook.
 *
 * @example
 * if (hasDisplayHost()) display(progress); // no progress lines printed by a CLI run
 */
export function hasDisplayHost(): boolean {
  return slot[KEY] !== undefined;
}

/** A shown output that can be replaced in place. */
export interface DisplayHandle {
  readonly id: string;
  update(value: unknown): void;
}

// Display ids are numbered per process, not per copy of this module: the kernel's copy (the
// cells' `display` global) and the copy cells import must never hand out the same id.
const COUNTER = Symbol.for("flamebook.displayCounter");
const counters = globalThis as Record<symbol, number | undefined>;
const nextId = (): string => `flamebook-${process.pid}-${(counters[COUNTER] = (counters[COUNTER] ?? 0) + 1)}`;

function show(bundle: MimeBundle, displayId: string | undefined, update: boolean): void {
  const host = slot[KEY];
  if (host) host.display(bundle, { ...(displayId ? { displayId } : {}), update });
  else console.log(String(bundle["text/plain"] ?? ""));
}

/**
 * `display` and its helpers: each shows one output and returns a {@link DisplayHandle}.
 * In the flamebook kernel `display` is a global in every cell; it is also exported by `flamebook`.
 */
export interface Display {
  /**
   * Shows a value as a cell output (`display_data`) the way it shows as a cell's last
   * expression, with a display id so that it can be replaced later. Outside a kernel it prints
   * the text form.
   *
   * @param opts.id the display id to use (to replace an output shown earlier with this id)
   * @example
   * const h = display("starting…"); … h.update(rec.flamegraph());
   */
  (value: unknown, opts?: { id?: string }): DisplayHandle;
  /**
   * Shows HTML.
   * @example display.html("<b>hot</b>")
   */
  html(html: string): DisplayHandle;
  /**
   * Shows Markdown.
   * @example display.markdown("# Results")
   */
  markdown(md: string): DisplayHandle;
  /**
   * Shows SVG.
   * @example display.svg(fg.svg())
   */
  svg(svg: string): DisplayHandle;
  /**
   * Shows a PNG (bytes or base64).
   * @example display.png(readFileSync("plot.png"))
   */
  png(png: Uint8Array | string): DisplayHandle;
  /**
   * Shows JSON (`application/json`).
   * @example display.json({ samples: 2558 })
   */
  json(value: unknown): DisplayHandle;
  /**
   * Replaces the output shown with display id `id`.
   * @example display.update(h.id, "done")
   */
  update(id: string, value: unknown): void;
}

/** Marks the handles {@link display} returns (a global symbol: shared by every copy of flamebook). */
export const DISPLAY_HANDLE = Symbol.for("flamebook.displayHandle");

/**
 * Whether a value is a handle returned by `display(…)`: kernels show nothing for it when it is
 * a cell's last expression (the output is already there), like IPython's `display()` → None.
 *
 * @example isDisplayHandle(display.markdown("# Results")); // true
 */
export function isDisplayHandle(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[DISPLAY_HANDLE] === true;
}

/** Shows a ready mimebundle. */
const displayBundle = (bundle: MimeBundle): DisplayHandle => display({ [MIMEBUNDLE]: () => bundle });

/**
 * Shows a value as a cell output (`display_data`), with a display id so that it can be updated
 * in place later (progress, live tables); `display.html|markdown|svg|png|json` show ready content,
 * `display.update(id, value)` replaces an output. Outside a kernel it prints the text form.
 *
 * @example
 * const h = display("starting…"); … h.update(rec.flamegraph());
 * display.html("<b>hot</b>");
 */
export const display: Display = Object.assign(
  function display(value: unknown, opts: { id?: string } = {}): DisplayHandle {
    const id = opts.id ?? nextId();
    show(mimeBundleOf(value), id, false);
    const handle = { id, update: (v: unknown) => show(mimeBundleOf(v), id, true) };
    // The value is already shown: as a cell's last expression, the handle shows nothing more.
    Object.defineProperty(handle, DISPLAY_HANDLE, { value: true });
    return handle;
  },
  {
    html: (html: string): DisplayHandle => displayBundle({ "text/html": html, "text/plain": html }),
    markdown: (md: string): DisplayHandle => displayBundle({ "text/markdown": md, "text/plain": md }),
    svg: (svg: string): DisplayHandle => displayBundle({ "image/svg+xml": svg, "text/plain": "[svg]" }),
    png: (png: Uint8Array | string): DisplayHandle =>
      displayBundle({ "image/png": typeof png === "string" ? png : Buffer.from(png).toString("base64"), "text/plain": "[png]" }),
    json: (value: unknown): DisplayHandle =>
      displayBundle({ "application/json": value as Record<string, unknown>, "text/plain": JSON.stringify(value, null, 2) }),
    update: (id: string, value: unknown): void => show(mimeBundleOf(value), id, true),
  },
);

/**
 * Clears the cell's output (`clear_output`); with `wait`, only when the next output arrives
 * (no flicker for progress displays).
 *
 * @example
 * clearOutput(true); display(progress);
 */
export function clearOutput(wait = false): void {
  slot[KEY]?.clearOutput(wait);
}
