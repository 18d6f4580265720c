// The fuzz set, notebooks: ≥ 100k inputs each for parseNotebook (+ write back and read again),
// readReportNotebook and the parameter functions (see notebook-targets.ts).
import { test } from "node:test";
import { fuzzTarget } from "./run-target.js";

const only = process.env.FUZZ_ONLY?.split(",");
for (const name of ["parse-notebook", "report-notebook", "parameters"]) {
  if (only && !only.includes(name)) continue;
  test(`fuzz ${name}: a result or a documented error naming a position, never a crash or a hang`, () => fuzzTarget(name).then(() => undefined));
}
