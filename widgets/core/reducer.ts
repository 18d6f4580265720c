// The widget's reducer: `setState(patch, source)` works out the next state and what changed,
// plans the effects once (state.ts), runs them once, and reports a user change once.
import { changedKeys, nextState, planEffects, STATE_KEYS, type Plan, type ReportKey, type Source, type State } from "./state.js";

/** What the store drives: the effects of a change, and the report of a user change. */
export interface StoreEffects {
  /** Runs a plan's effects (after the state is set), in the order the plan lists them. */
  run(plan: Plan, next: State, prev: State | null): void;
  /** Reports a user change: the changed options and, when it changed, the selection. */
  report(change: Partial<Pick<State, ReportKey>>, when: "now" | "settle"): void;
}

/**
 * Holds the widget's state. `setState` merges a patch, normalises it (state.ts `nextState`), and
 * when anything changed runs the planned effects once, then reports once if the user made the
 * change; a host or init change is never reported (no echo). Returns the plan (empty of effects
 * when nothing changed).
 *
 * @example
 * const store = new Store({ run: (plan) => paint(plan), report: (c) => send(c) });
 * store.setState({ ...options, tree, selected: null, hovered: null }, "init");
 * store.setState({ search: "alloc" }, "user"); // re-matches and repaints, reported when typing settles
 */
export class Store {
  private current: State | null = null;

  constructor(private readonly effects: StoreEffects) {}

  /** The current state (after the "init" change). */
  get state(): State {
    if (!this.current) throw new Error("flamebook: the widget has no state yet");
    return this.current;
  }

  /** Applies a change from `source`; see the class comment. */
  setState(patch: Partial<State>, source: Source): Plan {
    const prev = source === "init" ? null : this.current;
    const next = nextState(prev, patch);
    const changed = prev ? changedKeys(prev, next) : new Set(STATE_KEYS);
    const plan = planEffects(changed, source);
    if (changed.size === 0) return plan;
    this.current = next;
    this.effects.run(plan, next, prev);
    if (plan.emit !== "none") {
      const change: Partial<Record<ReportKey, unknown>> = {};
      for (const k of plan.report) change[k] = next[k];
      this.effects.report(change as Partial<Pick<State, ReportKey>>, plan.emit);
    }
    return plan;
  }
}
