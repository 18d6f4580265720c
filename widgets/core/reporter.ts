// What the host hears: user changes go to `onChange` one call at a time; a search being typed
// waits until typing pauses, and anything reported meanwhile carries it along.
import type { FlameOptions } from "../../src/model/flame-tree.js";

/** What the user changed: options, and the selected frame (null when cleared). */
export interface FlameChange {
  options: Partial<FlameOptions>;
  selected?: { node: number; name: string } | null;
}

/** How long search typing settles before it is reported. */
export const SEARCH_EMIT_MS = 250;

/**
 * Sends changes to a callback: `report(c, "now")` sends at once (with any settling change merged
 * in), `report(c, "settle")` waits `settleMs` after the last such call; `flush` sends a settling
 * change now (Enter, blur, Esc). A callback that throws is logged, never passed on.
 *
 * @example
 * const r = new Reporter((c) => model.set("options", c.options));
 * r.report({ options: { search: "a" } }, "settle");
 * r.flush(); // sends { options: { search: "a" } }
 */
export class Reporter {
  private pending: FlameChange | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly send: (change: FlameChange) => void,
    private readonly settleMs = SEARCH_EMIT_MS,
  ) {}

  /** Sends `change` now, or once typing settles. */
  report(change: FlameChange, when: "now" | "settle"): void {
    const merged = this.pending ? merge(this.pending, change) : change;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (when === "settle") {
      this.pending = merged;
      this.timer = setTimeout(() => this.flush(), this.settleMs);
      return;
    }
    this.pending = null;
    this.fire(merged);
  }

  /** Sends a settling change now; nothing when none waits. */
  flush(): void {
    const change = this.pending;
    if (!change) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = null;
    this.fire(change);
  }

  /** Drops what waits; nothing is sent after this. */
  destroy(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = null;
  }

  private fire(change: FlameChange): void {
    try {
      this.send(change);
    } catch (e) {
      console.error("flamebook: onChange failed", e);
    }
  }
}

/** A later change over an earlier one. */
function merge(a: FlameChange, b: FlameChange): FlameChange {
  const out: FlameChange = { options: { ...a.options, ...b.options } };
  const selected = b.selected !== undefined ? b.selected : a.selected;
  if (selected !== undefined) out.selected = selected;
  return out;
}
