import { writeFileAtomic } from "../fs/atomic.js";
import type { FlameOptions, FlameTree } from "../model/flame-tree.js";
import { fromWidgetOptions, toWidgetOptions, type FlameDisplayOptions, type FlameDisplayState } from "../model/flame-display.js";
import type { Profile } from "../model/profile.js";
import { diffFlameTree, type DiffFlameTreeOptions } from "../fold/diff-tree.js";
import { flameTree, type FlameTreeOptions } from "../fold/flame-tree.js";
import { flameBundle } from "../render/flame-bundle.js";
import { flameHtml, flamePage } from "../render/flame-html.js";
import { flameSvg, type FlameSvgOptions } from "../render/flame-svg.js";
import { flameText } from "../render/flame-text.js";
import type { MimeBundle } from "../render/table-bundle.js";
import { MIMEBUNDLE } from "../display/mime.js";
import { commHost } from "../widget/comm.js";
import { FlamegraphWidget } from "../widget/flamegraph-widget.js";
import { widgetFrontEnd } from "../widget/front-end.js";
import { liveView } from "../widget/live-view.js";

/**
 * A flamegraph as a notebook value: its tree, its display options, and every way to show it.
 * As a cell's last expression it displays through the display protocol (`[MIMEBUNDLE]()`; the
 * kernel adds the live widget view); `save()` writes a standalone page; `svg()`/`text()` give the
 * static forms. Display options speak names: a frame or function by name or pattern, a thread
 * by its `ThreadId` or name (see {@link FlameDisplayOptions}).
 *
 * @example
 * const fg = rec.flamegraph({ title: "before" });
 * fg.with({ layout: "icicle", search: "to_string", sandwich: "alloc::fmt::format" }); // shown inline
 * await fg.save("before.html");
 */
export class Flamegraph {
  readonly tree: FlameTree;
  /** The options as the widget holds them (node and string ids): what travels to the front end. */
  readonly widgetOptions: FlameOptions;
  private live: FlamegraphWidget | undefined;

  /**
   * A flamegraph of `tree` with display options given by name (an unknown frame, function or
   * thread is an error naming what there is); options not given keep their value in `base`
   * (default: the defaults).
   */
  constructor(tree: FlameTree, options: FlameDisplayOptions = {}, base?: FlameOptions) {
    this.tree = tree;
    this.widgetOptions = toWidgetOptions(tree, options, base);
  }

  /** The display options, by name. @example fg.with({ focus: "process" }).options.focus // "wordfreq::process::process" */
  get options(): FlameDisplayState {
    return fromWidgetOptions(this.tree, this.widgetOptions);
  }

  /** The same graph with other display options. @example fg.with({ layout: "icicle", thread: "worker" }) */
  with(options: FlameDisplayOptions): Flamegraph {
    return new Flamegraph(this.tree, options, this.widgetOptions);
  }

  /** The static SVG (pruned below 0.1% width, `<title>` tooltips). @example fg.svg({ width: 900 }) */
  svg(opts: FlameSvgOptions = {}): string {
    return flameSvg(this.tree, { layout: this.widgetOptions.layout, diffMode: this.widgetOptions.diffMode, ...opts });
  }

  /** The top-functions summary. @example console.log(fg.text()) */
  text(): string {
    return flameText(this.tree, { diffMode: this.widgetOptions.diffMode });
  }

  /** A self-contained interactive HTML block (renderer included). @example fg.html().length */
  html(): string {
    return flameHtml(this.tree, { options: this.widgetOptions });
  }

  /** Every representation for a notebook output. @example fg.bundle()["image/svg+xml"] */
  bundle(modelId?: string): MimeBundle {
    return flameBundle(this.tree, { options: this.widgetOptions, ...(modelId ? { modelId } : {}) });
  }

  /**
   * The live widget of this graph (opened on first use): set options on it to update the view,
   * read what the user selected and searched. Without a kernel it is a local object.
   *
   * @example
   * fg.widget().update({ search: "alloc", focus: "wordfreq::process::process" }); fg.widget().selected?.name;
   */
  widget(): FlamegraphWidget {
    return (this.live ??= new FlamegraphWidget(this.tree, this.widgetOptions));
  }

  /**
   * How the graph shows in a notebook (the display protocol): the live widget view plus every
   * fallback where the front end can load the widget (see `liveView`), otherwise the fallbacks
   * alone, with the options of {@link widget} once it exists.
   *
   * @example fg[MIMEBUNDLE]()["image/svg+xml"]
   */
  [MIMEBUNDLE](): MimeBundle {
    return this.live || liveView(commHost() !== undefined, widgetFrontEnd) ? this.widget().bundle() : this.bundle();
  }

  /**
   * Writes a standalone page (no server, no CDN) atomically and returns its absolute path.
   *
   * @example
   * await fg.save("flame.html"); // "/home/me/flame.html"
   */
  async save(path: string, opts: { title?: string } = {}): Promise<string> {
    // The page's directory must exist: a typo in it is an error, not a new directory.
    return writeFileAtomic(path, flamePage([{ tree: this.tree, options: this.widgetOptions }], { title: opts.title ?? this.tree.title }), { mkdir: false });
  }

  /** A one-line description (what `console.log` and text-only front ends show). */
  toString(): string {
    return this.text();
  }
}

/** Options of a profile's flamegraph: what to draw ({@link FlameTreeOptions}) and how to show it ({@link FlameDisplayOptions}). */
export type FlamegraphOptions = FlameTreeOptions & FlameDisplayOptions;

/** Options of a diff flamegraph: the two sides' labels (`base`, `other`), the test, and how to show it. */
export type DiffFlamegraphOptions = DiffFlameTreeOptions & FlameDisplayOptions;

/**
 * The flamegraph of a profile.
 *
 * @example
 * flamegraph(profile, { event: "Ir" }).save("callgrind.html");
 */
export function flamegraph(profile: Profile, opts: FlamegraphOptions = {}): Flamegraph {
  const { event, title, timeline, maxTimelineRuns, ...display } = opts;
  return new Flamegraph(flameTree(profile, { event, title, timeline, maxTimelineRuns }), display);
}

/**
 * The diff flamegraph of two profiles: `after`'s shape, red where it grew, blue where it shrank,
 * grey where the change is within sampling noise.
 *
 * @example
 * diffFlamegraph(before.profile, after.profile, { base: "to_string", other: "write!" });
 */
export function diffFlamegraph(before: Profile, after: Profile, opts: DiffFlamegraphOptions = {}): Flamegraph {
  const { event, title, base, other, alpha, significant, ...display } = opts;
  return new Flamegraph(diffFlameTree(before, after, { event, title, base, other, alpha, significant }), display);
}
