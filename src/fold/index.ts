export { toFolded, type FoldedOptions } from "./to-folded.js";
export { functionTotals, stackShare, stackWeights, totalWeight, type FunctionTotal } from "./function-totals.js";
