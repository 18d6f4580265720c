// The part of d3-flame-graph 5's API that bench/render-page.ts uses (the package ships no types).
declare module "d3-flame-graph" {
  interface FlameGraph {
    (selection: unknown): void;
    width(px: number): FlameGraph;
    cellHeight(px: number): FlameGraph;
    transitionDuration(ms: number): FlameGraph;
    minFrameSize(px: number): FlameGraph;
  }
  export default function flamegraph(): FlameGraph;
}
