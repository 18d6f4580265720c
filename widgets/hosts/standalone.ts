// The standalone host: a classic script for self-contained pages (the text/html output, nbconvert
// exports, `flamebook open`). It defines `window.flamebook` once, however many flamegraph blocks a
// page has, and mounts every block: a <div data-flamebook> followed by its data in a
// <script type="application/vnd.flamebook.flametree+json"> element.
import type { FlameOptions, FlameWireHeader } from "../../src/model/flame-tree.js";
import { createFlamegraph } from "../core/index.js";
import { base64Bytes, unpackFlameTree } from "../wire/unpack.js";
import { withDefaults } from "./defaults.js";

interface Block {
  header: FlameWireHeader;
  data: string;
  options?: Partial<FlameOptions>;
}

const DATA_TYPE = "application/vnd.flamebook.flametree+json";

/**
 * Mounts one flamegraph from its JSON block into `el`.
 *
 * @example
 * await window.flamebook.mount(div, JSON.parse(script.textContent));
 */
async function mount(el: HTMLElement, block: Block): Promise<void> {
  const tree = await unpackFlameTree(block.header, base64Bytes(block.data));
  createFlamegraph(el, tree, withDefaults(block.options));
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
        el.replaceChildren();
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
