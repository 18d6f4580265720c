export { toFolded, type FoldedOptions } from "./to-folded.js";
export { functionTotals, stackShare, stackWeights, totalWeight, type FunctionTotal } from "./function-totals.js";
export { functionStats, type FunctionStats } from "./function-stats.js";
export { toRegExp, matchFrames, type Pattern } from "./pattern.js";
export { rewriteStacks, DROP, PENDING, type RewriteContext } from "./rewrite.js";
export { focus, exclude, prune, mergeInlined, collapseRecursion, renameFrames } from "./transforms.js";
export { cleanRustNames } from "./clean-names.js";
export { groupBy, crateOf, type Grouping } from "./group-by.js";
