import type { MimeBundle } from "../render/table-bundle.js";
import { MIMEBUNDLE, mimeBundleOf } from "./mime.js";

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

let counter = 0;

function show(bundle: MimeBundle, displayId: string | undefined, update: boolean): void {
  const host = slot[KEY];
  if (host) host.display(bundle, { ...(displayId ? { displayId } : {}), update });
  else console.log(String(bundle["text/plain"] ?? ""));
}

/**
 * Shows a value as a cell output (`display_data`), with a display id so that it can be updated
 * in place later (progress, live tables). Outside a kernel it prints the text form.
 *
 * @example
 * const h = display("starting…"); … h.update(rec.flamegraph());
 */
export function display(value: unknown, opts: { id?: string } = {}): DisplayHandle {
  const id = opts.id ?? `flamebook-${process.pid}-${++counter}`;
  show(mimeBundleOf(value), id, false);
  const handle = { id, update: (v: unknown) => show(mimeBundleOf(v), id, true) };
  // The value is already shown: as a cell's last expression, the handle shows nothing more.
  Object.defineProperty(handle, DISPLAY_HANDLE, { value: true });
  return handle;
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
/** Shows HTML. @example display.html("<b>hot</b>") */
display.html = (html: string): DisplayHandle => displayBundle({ "text/html": html, "text/plain": html });
/** Shows Markdown. @example display.markdown("# Results") */
display.markdown = (md: string): DisplayHandle => displayBundle({ "text/markdown": md, "text/plain": md });
/** Shows SVG. @example display.svg(fg.svg()) */
display.svg = (svg: string): DisplayHandle => displayBundle({ "image/svg+xml": svg, "text/plain": "[svg]" });
/** Shows a PNG (bytes or base64). @example display.png(readFileSync("plot.png")) */
display.png = (png: Uint8Array | string): DisplayHandle =>
  displayBundle({ "image/png": typeof png === "string" ? png : Buffer.from(png).toString("base64"), "text/plain": "[png]" });
/** Shows JSON. @example display.json({ samples: 2558 }) */
display.json = (value: unknown): DisplayHandle =>
  displayBundle({ "application/json": value as Record<string, unknown>, "text/plain": JSON.stringify(value, null, 2) });
/** Replaces the output shown with display id `id`. @example display.update(h.id, "done") */
display.update = (id: string, value: unknown): void => show(mimeBundleOf(value), id, true);

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
