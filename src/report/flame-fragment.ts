// Recognises flamebook's own interactive flamegraph outputs (the `text/html` that flameHtml writes)
// and keeps only their data. The notebook's copy of the renderer script is never used: the report
// mounts the data with the renderer of the flamebook that writes the report, included once.
import { z } from "zod";
import { scriptJson } from "../render/flame-html.js";

/**
 * The shape flameHtml writes: mount point (empty, or holding the static picture and its note, which
 * the report drops), data block, renderer script. Nothing else is accepted.
 */
const FRAGMENT =
  /^\s*<div class="flamebook-output"><div class="flamebook" data-flamebook style="min-height:(\d{1,5})px">(?:<img alt="[^"<>]*" src="data:image\/svg\+xml;base64,[A-Za-z0-9+/]*={0,2}" style="[^"<>]*"><p style="[^"<>]*">[^<>]*<\/p>)?<\/div><script type="application\/vnd\.flamebook\.flametree\+json">([^<]*)<\/script><script>[\s\S]*<\/script><\/div>\s*$/;

const column = z.tuple([z.string(), z.enum(["i32", "u8", "f64"]), z.number().int().nonnegative(), z.number().int().nonnegative()]);
const block = z.object({
  header: z
    .object({
      format: z.literal("flamebook.flametree"),
      version: z.literal(1),
      title: z.string(),
      encoding: z.enum(["deflate", "identity"]),
      byteLength: z.number().int().nonnegative(),
      columns: z.array(column),
      strings: z.tuple([z.number().int(), z.number().int(), z.number().int()]),
    })
    .loose(),
  data: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/),
  options: z.record(z.string(), z.unknown()).optional(),
});

/** The data of one flamebook flamegraph output. */
export interface FlameFragment {
  /** The graph's title (from its header). */
  readonly title: string;
  /** CSS min-height of the mount point, in px. */
  readonly minHeight: number;
  /** The data block, re-serialised safe for a `<script>` element. */
  readonly json: string;
}

/**
 * The flamegraph data of a `text/html` output when it is exactly what flamebook's flameHtml
 * writes and its data block is well-formed; null for any other HTML (which is then untrusted).
 *
 * @example
 * flameFragment(flamegraph(profile).html())?.title; // "samples"
 * flameFragment("<div>hi</div>"); // null
 */
export function flameFragment(html: string): FlameFragment | null {
  const m = FRAGMENT.exec(html);
  if (!m) return null;
  let value: unknown;
  try {
    value = JSON.parse(m[2]!);
  } catch {
    return null;
  }
  return flameBlock(value, Number(m[1]));
}

/**
 * A flamegraph data block (`{ header, data, options }`, the standalone renderer's input) checked
 * and re-serialised; null when it is not well-formed.
 *
 * @example
 * flameBlock({ ...flameTreeJson(tree), options: {} }, 480)?.json;
 */
export function flameBlock(value: unknown, minHeight: number): FlameFragment | null {
  const parsed = block.safeParse(value);
  if (!parsed.success) return null;
  const options = { ...parsed.data.options };
  // A notebook could ask for a canvas of any size; keep the graph within what a page can draw.
  if (typeof options["height"] === "number") options["height"] = clamp(options["height"], 100, 4000);
  return { title: parsed.data.header.title, minHeight: clamp(minHeight, 100, 4060), json: scriptJson({ ...parsed.data, options }) };
}

function clamp(x: number, lo: number, hi: number): number {
  return Number.isFinite(x) ? Math.min(Math.max(Math.round(x), lo), hi) : lo;
}

/**
 * The report's mount point and data block of one flamegraph (mounted by the shared renderer).
 *
 * @example
 * flameMount(flameFragment(html)!); // '<div class="flamebook" data-flamebook …></div><script type=…>'
 */
export function flameMount(f: FlameFragment): string {
  return `<div class="flamebook" data-flamebook style="min-height:${f.minHeight}px"></div><script type="application/vnd.flamebook.flametree+json">${f.json}</script>`;
}
