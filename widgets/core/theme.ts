// Light and dark themes, and how "auto" finds out which one the host page uses.
import type { FlameTheme } from "../../src/model/flame-tree.js";

/** The colours of one theme (frame fills are shared, see colors.ts). */
export interface ThemeColors {
  readonly background: string;
  readonly text: string;
  readonly muted: string;
  readonly border: string;
  readonly panel: string;
  readonly accent: string;
  /** Outline of the hovered frame. */
  readonly hover: string;
  /** Label colour on dimmed (non-matching) frames. */
  readonly dimText: string;
}

/** The two themes. */
export const THEMES: Readonly<Record<"light" | "dark", ThemeColors>> = {
  light: { background: "#ffffff", text: "#1f2328", muted: "#636c76", border: "#d0d7de", panel: "#f6f8fa", accent: "#0969da", hover: "#1f2328", dimText: "#8c959f" },
  dark: { background: "#1e1f22", text: "#e6e7ea", muted: "#9da3ad", border: "#3d4048", panel: "#2a2c31", accent: "#5ea7ff", hover: "#ffffff", dimText: "#8b919b" },
};

/**
 * The relative luminance (0 black … 1 white) of a CSS `rgb()`/`rgba()`/`#rgb`/`#rrggbb` colour, or
 * null when it cannot be read or is (nearly) transparent.
 *
 * @example
 * luminance("rgb(30, 30, 30)");    // 0.0129…
 * luminance("rgba(0, 0, 0, 0)");   // null: transparent
 */
export function luminance(css: string): number | null {
  let r: number, g: number, b: number;
  let a = 1;
  const m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$/i.exec(css.trim());
  if (m) {
    [r, g, b] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (m[4] !== undefined) a = m[4].endsWith("%") ? Number(m[4].slice(0, -1)) / 100 : Number(m[4]);
  } else {
    const h = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(css.trim());
    if (!h) return null;
    const x = h[1]!.length === 3 ? h[1]!.replace(/./g, (c) => c + c) : h[1]!;
    [r, g, b] = [0, 2, 4].map((k) => parseInt(x.slice(k, k + 2), 16)) as [number, number, number];
  }
  if (!(a > 0.1)) return null;
  const lin = (c: number) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** What the host page says about its theme, gathered from the DOM (see {@link hostTheme}). */
export interface HostSignals {
  /** `body[data-jp-theme-light]`: "true"/"false" in JupyterLab, else null. */
  readonly jupyterLight: string | null;
  /** `body` classes (VS Code sets `vscode-dark`, `vscode-light`, `vscode-high-contrast`). */
  readonly bodyClasses: readonly string[];
  /** `body[data-vscode-theme-kind]`, else null. */
  readonly vscodeKind: string | null;
  /** Computed background colours from the widget up to `<html>`, nearest first. */
  readonly backgrounds: readonly string[];
  /** `prefers-color-scheme: dark`. */
  readonly prefersDark: boolean;
}

/**
 * The theme of the host page: JupyterLab's `data-jp-theme-light`, then VS Code's body class or
 * `data-vscode-theme-kind`, then the luminance of the nearest opaque background, then the
 * system's `prefers-color-scheme`.
 *
 * @example
 * hostTheme({ jupyterLight: "false", bodyClasses: [], vscodeKind: null, backgrounds: [], prefersDark: false }); // "dark"
 */
export function hostTheme(s: HostSignals): "light" | "dark" {
  if (s.jupyterLight === "true") return "light";
  if (s.jupyterLight === "false") return "dark";
  if (s.vscodeKind) return /light/.test(s.vscodeKind) ? "light" : "dark";
  if (s.bodyClasses.includes("vscode-light") || s.bodyClasses.includes("vscode-high-contrast-light")) return "light";
  if (s.bodyClasses.includes("vscode-dark") || s.bodyClasses.includes("vscode-high-contrast")) return "dark";
  for (const bg of s.backgrounds) {
    const l = luminance(bg);
    if (l !== null) return l < 0.2 ? "dark" : "light";
  }
  return s.prefersDark ? "dark" : "light";
}

/**
 * Reads the {@link HostSignals} of the page around `el`.
 *
 * @example
 * hostTheme(hostSignals(el)); // "dark" inside JupyterLab's dark theme
 */
export function hostSignals(el: HTMLElement): HostSignals {
  const doc = el.ownerDocument;
  const body = doc.body;
  const view = doc.defaultView;
  const backgrounds: string[] = [];
  for (let e: Element | null = el.parentElement; e; e = e.parentElement) {
    const bg = view?.getComputedStyle(e).backgroundColor;
    if (bg) backgrounds.push(bg);
  }
  return {
    jupyterLight: body?.getAttribute("data-jp-theme-light") ?? null,
    bodyClasses: body ? Array.from(body.classList) : [],
    vscodeKind: body?.getAttribute("data-vscode-theme-kind") ?? null,
    backgrounds,
    prefersDark: view?.matchMedia?.("(prefers-color-scheme: dark)").matches ?? false,
  };
}

/**
 * The theme to draw with for an option value.
 *
 * @example
 * resolveTheme("auto", el); // follows the host page
 */
export function resolveTheme(option: FlameTheme, el: HTMLElement): "light" | "dark" {
  return option === "light" || option === "dark" ? option : hostTheme(hostSignals(el));
}

/**
 * Calls `onChange` whenever the host page may have switched theme (body attributes or the
 * system colour scheme); returns the function that stops watching.
 *
 * @example
 * const stop = watchHostTheme(el, () => graph.redraw());
 */
export function watchHostTheme(el: HTMLElement, onChange: () => void): () => void {
  const doc = el.ownerDocument;
  const view = doc.defaultView;
  const stops: (() => void)[] = [];
  if (view && typeof view.MutationObserver === "function") {
    const mo = new view.MutationObserver(onChange);
    for (const target of [doc.documentElement, doc.body]) {
      if (target) mo.observe(target, { attributes: true, attributeFilter: ["class", "style", "data-jp-theme-light", "data-vscode-theme-kind", "data-theme", "theme"] });
    }
    stops.push(() => mo.disconnect());
  }
  const mq = view?.matchMedia?.("(prefers-color-scheme: dark)");
  if (mq && typeof mq.addEventListener === "function") {
    mq.addEventListener("change", onChange);
    stops.push(() => mq.removeEventListener("change", onChange));
  }
  return () => stops.forEach((s) => s());
}
