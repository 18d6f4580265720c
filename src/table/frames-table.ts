import { functionStats } from "../fold/function-stats.js";
import type { Profile } from "../model/profile.js";
import { columns, type ColumnTable } from "./arquero.js";
import { eventIndex } from "../model/event-index.js";

/**
 * One row per distinct frame (name + module + inlined): `frame` (id), `name`, `module`, `file`,
 * `line`, `inlined`, `kind` (rust/c/kernel/unknown), and `self` / `total` weight of `event`
 * (default the first). Unlike `functionsTable`, inlined and physical copies stay apart.
 *
 * @example
 * framesTable(profile).filter((d) => d.inlined).orderby(aq.desc("total"));
 */
export function framesTable(profile: Profile, opts: { event?: string } = {}): ColumnTable {
  const { frames } = profile;
  const e = eventIndex(profile, opts.event);
  const st = functionStats(profile, { by: "frame" });
  return columns({
    frame: Int32Array.from({ length: frames.name.length }, (_, i) => i),
    name: frames.name,
    module: frames.module,
    file: frames.file,
    line: frames.line,
    inlined: frames.inlined,
    kind: frames.kind,
    self: st.self[e]!,
    total: st.total[e]!,
  });
}
