// The standalone host: a classic script for self-contained pages (the text/html output, nbconvert
// exports, `flamebook open`). It defines `window.flamebook` once, however many flamegraph blocks a
// page has, and mounts every block: a <div data-flamebook> followed by its data in a
// <script type="application/vnd.flamebook.flametree+json"> element.
import type { FlameOptions, FlameWireHeader } from "../../src/model/flame-tree.js";
import { createFlamegraph } from "../core/index.js";
import { base64Bytes, unpackFlameTree } from "../wire/unpack.js";
import { withDefaults } from "./defaults.js";
import { fillHeight, fillWindow } from "./fill.js";

interface Block {
  header: FlameWireHeader;
  data: string;
  options?: Partial<FlameOptions>;
}

const DATA_TYPE = "application/vnd.flamebook.flametree+json";

/**
 * Mounts one flamegraph from its JSON block into `el`, replacing what `el` shows until then (the
 * static picture). A mount point marked `data-flamebook-fill` (a page of its own) gets the
 * window's height and follows it.
 *
 * @example
 * await window.flamebook.mount(div, JSON.parse(script.textContent));
 */
async function mount(el: HTMLElement, block: Block): Promise<void> {
  const tree = await unpackFlameTree(block.header, base64Bytes(block.data));
  const options = withDefaults(block.options);
  el.replaceChildren();
  if (!el.hasAttribute("data-flamebook-fill")) {
    createFlamegraph(el, tree, options);
    return;
  }
  const graph = createFlamegraph(el, tree, options, { fitHeight: (chrome) => fillHeight(el, chrome) });
  fillWindow(el, graph);
}

/**
 * Mounts every flamegraph block of the document not mounted yet; errors are shown in place.
 *
 * @example
 * window.flamebook.mountAll();
 */
function mountAll(root: ParentNode = document): Promise<void[]> {
  const jobs: Promise<void>[] = [];
  for (const el of root.querySelectorAll<HTMLElement>("[data-flamebook]:not([data-flamebook-mounted])")) {
    el.setAttribute("data-flamebook-mounted", "");
    const script = el.nextElementSibling;
    jobs.push(
      (async () => {
        if (!(script instanceof HTMLScriptElement) || script.type !== DATA_TYPE) throw new Error("flamebook: this flamegraph's data block is missing.");
        await mount(el, JSON.parse(script.textContent ?? "") as Block);
      })().catch((e: unknown) => {
        const p = document.createElement("pre");
        p.textContent = e instanceof Error ? e.message : String(e);
        el.replaceChildren(p);
      }),
    );
  }
  return Promise.all(jobs);
}

declare global {
  interface Window {
    flamebook?: { mount: typeof mount; mountAll: typeof mountAll };
  }
}

// Every copy of this script (one per notebook output) mounts the blocks next to it, even when the
// front end runs it before the output is attached to the document (JupyterLab can).
const here = document.currentScript?.parentNode ?? document;
window.flamebook ??= { mount, mountAll };
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => void window.flamebook!.mountAll());
void window.flamebook.mountAll(here);
