// Every fuzz target by name: the importers, openProfile's sniffing, and the notebook readers.
import { documentTargets } from "./document-targets.js";
import type { FuzzTarget } from "./harness.js";
import { lineTargets } from "./line-targets.js";
import { notebookTargets } from "./notebook-targets.js";
import { openTargets } from "./open-targets.js";

/** Target factories by name (a worker builds only the one it runs). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const targets: Record<string, () => FuzzTarget<any> | Promise<FuzzTarget<any>>> = { ...lineTargets, ...documentTargets, ...openTargets, ...notebookTargets };
