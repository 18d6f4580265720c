import { writeFileAtomic } from "../fs/atomic.js";
import type { FlameOptions, FlameTree } from "../model/flame-tree.js";
import { DEFAULT_FLAME_OPTIONS } from "../model/flame-tree.js";
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
 * As a cell's last expression it displays through `_repr_mimebundle_()` (the kernel adds the live
 * widget view); `save()` writes a standalone page; `svg()`/`text()` give the static forms.
 *
 * @example
 * const fg = rec.flamegraph({ title: "before" });
 * fg.with({ layout: "icicle", search: "to_string" }); // shown inline
 * await fg.save("before.html");
 */
export class Flamegraph {
  readonly tree: FlameTree;
  readonly options: FlameOptions;
  private live: FlamegraphWidget | undefined;

  constructor(tree: FlameTree, options: Partial<FlameOptions> = {}) {
    this.tree = tree;
    this.options = { ...DEFAULT_FLAME_OPTIONS, ...options };
  }

  /** The same graph with other display options. @example fg.with({ layout: "icicle" }) */
  with(options: Partial<FlameOptions>): Flamegraph {
    return new Flamegraph(this.tree, { ...this.options, ...options });
  }

  /** The static SVG (pruned below 0.1% width, `<title>` tooltips). @example fg.svg({ width: 900 }) */
  svg(opts: FlameSvgOptions = {}): string {
    return flameSvg(this.tree, { layout: this.options.layout, diffMode: this.options.diffMode, ...opts });
  }

  /** The top-functions summary. @example console.log(fg.text()) */
  text(): string {
    return flameText(this.tree, { diffMode: this.options.diffMode });
  }

  /** A self-contained interactive HTML block (renderer included). @example fg.html().length */
  html(): string {
    return flameHtml(this.tree, { options: this.options });
  }

  /** Every representation for a notebook output. @example fg.bundle()["image/svg+xml"] */
  bundle(modelId?: string): MimeBundle {
    return flameBundle(this.tree, { options: this.options, ...(modelId ? { modelId } : {}) });
  }

  /**
   * The live widget of this graph (opened on first use): set options on it to update the view,
   * read what the user selected and searched. Without a kernel it is a local object.
   *
   * @example
   * fg.widget().update({ search: "alloc" }); fg.widget().selected;
   */
  widget(): FlamegraphWidget {
    return (this.live ??= new FlamegraphWidget(this.tree, this.options));
  }

  /**
   * How Jupyter kernels display a value (the IPython convention): the live widget view plus every
   * fallback where the front end can load the widget (see `liveView`), otherwise the fallbacks
   * alone, with the options of {@link widget} once it exists.
   *
   * @example fg._repr_mimebundle_()
   */
  _repr_mimebundle_(): MimeBundle {
    return this.live || liveView(commHost() !== undefined, widgetFrontEnd) ? this.widget().bundle() : this.bundle();
  }

  /** The display protocol flamebook's kernel uses (same as `_repr_mimebundle_`). */
  [MIMEBUNDLE](): MimeBundle {
    return this._repr_mimebundle_();
  }

  /**
   * Writes a standalone page (no server, no CDN) atomically and returns its absolute path.
   *
   * @example
   * await fg.save("flame.html"); // "/home/me/flame.html"
   */
  async save(path: string, opts: { title?: string } = {}): Promise<string> {
    // The page's directory must exist: a typo in it is an error, not a new directory.
    return writeFileAtomic(path, flamePage([{ tree: this.tree, options: this.options }], { title: opts.title ?? this.tree.title }), { mkdir: false });
  }

  /** A one-line description (what `console.log` and text-only front ends show). */
  toString(): string {
    return this.text();
  }
}

/**
 * The flamegraph of a profile.
 *
 * @example
 * flamegraph(profile, { event: "Ir" }).save("callgrind.html");
 */
export function flamegraph(profile: Profile, opts: FlameTreeOptions & Partial<FlameOptions> = {}): Flamegraph {
  const { event, title, timeline, maxTimelineRuns, ...display } = opts;
  return new Flamegraph(flameTree(profile, { event, title, timeline, maxTimelineRuns }), display);
}

/**
 * The diff flamegraph of two profiles: `after`'s shape, red where it grew, blue where it shrank,
 * grey where the change is within sampling noise.
 *
 * @example
 * diffFlamegraph(before.profile, after.profile, { baseLabel: "to_string", label: "write!" });
 */
export function diffFlamegraph(before: Profile, after: Profile, opts: DiffFlameTreeOptions & Partial<FlameOptions> = {}): Flamegraph {
  const { event, title, baseLabel, label, alpha, significant, ...display } = opts;
  return new Flamegraph(diffFlameTree(before, after, { event, title, baseLabel, label, alpha, significant }), display);
}
