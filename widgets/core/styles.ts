// The widget's stylesheet: one <style> per document (or shadow root), every class prefixed "fb-".
import { THEMES, type ThemeColors } from "./theme.js";

const STYLE_ID = "flamebook-core-style-1";

const vars = (t: ThemeColors) =>
  `--fb-bg:${t.background};--fb-fg:${t.text};--fb-muted:${t.muted};--fb-border:${t.border};--fb-panel:${t.panel};--fb-accent:${t.accent};`;

/** The monospace font stack used for frame names everywhere. */
export const MONO = `ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono","Liberation Mono",monospace`;
const SANS = `system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif`;

/** The stylesheet text. */
export const CSS = `
.fb-root{${vars(THEMES.light)}position:relative;box-sizing:border-box;background:var(--fb-bg);color:var(--fb-fg);font:12px/1.4 ${SANS};border:1px solid var(--fb-border);border-radius:4px;outline:none;min-width:200px;text-align:left}
.fb-root.fb-dark{${vars(THEMES.dark)}}
.fb-root:focus-visible{box-shadow:0 0 0 2px var(--fb-accent)}
.fb-root *{box-sizing:border-box}
.fb-root [hidden]{display:none!important}
.fb-bar{padding:4px 6px;border-bottom:1px solid var(--fb-border);background:var(--fb-panel)}
.fb-row{display:flex;flex-wrap:wrap;align-items:center;gap:4px 8px}
.fb-path{flex-wrap:nowrap;margin-top:4px}
.fb-fill{flex:1 1 0}
.fb-crumbs{display:flex;flex-wrap:nowrap;align-items:center;gap:2px;min-width:0;flex:1 1 0;overflow:hidden;white-space:nowrap;font-family:${MONO};font-size:11.5px}
.fb-crumb{all:unset;flex:0 1 auto;min-width:2.5em;cursor:pointer;color:var(--fb-accent);padding:1px 3px;border-radius:3px;max-width:22em;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.fb-crumb:first-child{flex-shrink:0;max-width:16em}
.fb-crumb[aria-current]{flex-shrink:.3;max-width:34em}
.fb-crumb:hover{background:var(--fb-border)}
.fb-crumb:focus-visible{outline:2px solid var(--fb-accent)}
.fb-crumb[aria-current]{color:var(--fb-fg);font-weight:600;cursor:default}
.fb-crumb-sep,.fb-crumb-gap{flex:none;color:var(--fb-muted);padding:0 1px}
.fb-group{display:inline-flex;align-items:center;gap:0}
.fb-btn{all:unset;cursor:pointer;padding:2px 8px;border:1px solid var(--fb-border);background:var(--fb-bg);color:var(--fb-fg);font:inherit;line-height:18px;white-space:nowrap}
.fb-group .fb-btn+.fb-btn{border-left:none}
.fb-group .fb-btn:first-child{border-radius:3px 0 0 3px}.fb-group .fb-btn:last-child{border-radius:0 3px 3px 0}
.fb-btn.fb-solo{border-radius:3px}
.fb-btn:hover{border-color:var(--fb-accent)}
.fb-btn:focus-visible{outline:2px solid var(--fb-accent);outline-offset:1px}
.fb-btn[aria-pressed="true"]{background:var(--fb-accent);border-color:var(--fb-accent);color:#fff}
.fb-dark .fb-btn[aria-pressed="true"]{color:#0d1117}
.fb-btn:disabled,.fb-btn[aria-disabled="true"]{opacity:.45;cursor:default}
.fb-search{display:inline-flex;align-items:center;gap:4px}
.fb-input{font:12px ${MONO};width:38em;max-width:55vw;padding:2px 6px;border:1px solid var(--fb-border);border-radius:3px;background:var(--fb-bg);color:var(--fb-fg)}
.fb-input::placeholder{font-size:11px;color:var(--fb-muted)}
.fb-input:focus{outline:none;border-color:var(--fb-accent)}
.fb-input.fb-bad{border-color:#d1242f}
.fb-matched{color:var(--fb-muted);font-variant-numeric:tabular-nums;white-space:nowrap}
.fb-select{font:inherit;padding:1px 4px;border:1px solid var(--fb-border);border-radius:3px;background:var(--fb-bg);color:var(--fb-fg);max-width:16em}
.fb-viewport{position:relative;overflow-y:auto;overflow-x:hidden;overscroll-behavior:auto}
.fb-stage{position:sticky;top:0}
.fb-canvas{display:block;cursor:pointer}
.fb-overlay{position:absolute;left:0;top:0;pointer-events:none}
.fb-spacer{width:1px}
.fb-tip{position:absolute;z-index:10;pointer-events:none;max-width:min(640px,90%);padding:6px 8px;border:1px solid var(--fb-border);border-radius:4px;background:var(--fb-panel);color:var(--fb-fg);box-shadow:0 2px 8px rgba(0,0,0,.25);font-size:12px}
.fb-tip[hidden]{display:none}
.fb-tip-title{font:600 12px ${MONO};word-break:break-all;margin-bottom:4px}
.fb-tip-lines{display:grid;grid-template-columns:auto 1fr;gap:1px 10px}
.fb-tip-k{color:var(--fb-muted)}
.fb-tip-v{font-variant-numeric:tabular-nums;word-break:break-all}
.fb-tip-note{color:var(--fb-muted);margin-top:4px;font-size:11px}
.fb-foot{display:flex;flex-wrap:wrap;align-items:center;gap:4px 12px;padding:4px 6px;border-top:1px solid var(--fb-border);background:var(--fb-panel)}
.fb-legend{display:flex;flex-wrap:wrap;align-items:center;gap:2px 10px;flex:1 1 300px}
.fb-key{display:inline-flex;align-items:center;gap:4px;white-space:nowrap}
.fb-swatch{display:inline-block;width:11px;height:11px;border-radius:2px;border:1px solid rgba(0,0,0,.15)}
.fb-legend-text{color:var(--fb-muted)}
.fb-sel{display:flex;align-items:center;gap:6px;min-width:0;flex:1 1 auto;justify-content:flex-end}
.fb-sel[hidden]{display:none}
.fb-sel-name{font:11.5px ${MONO};overflow:hidden;text-overflow:ellipsis;white-space:nowrap;min-width:0}
.fb-sel-msg{color:var(--fb-muted)}
.fb-notes{padding:2px 6px 4px;color:var(--fb-muted);font-size:11px;background:var(--fb-panel)}
.fb-notes[hidden]{display:none}
.fb-help{color:var(--fb-muted);font-size:11px;white-space:nowrap}
.fb-pane-title{font-weight:600}
`;

/**
 * Adds the stylesheet to the document (or shadow root) of `el` unless it is already there.
 *
 * @example
 * ensureStyles(el); // once per document, however many widgets it has
 */
export function ensureStyles(el: HTMLElement): void {
  const root = el.getRootNode();
  const doc = el.ownerDocument;
  const isShadow = typeof ShadowRoot !== "undefined" && root instanceof ShadowRoot;
  const host: ParentNode = isShadow ? root : doc.head ?? doc.documentElement;
  if (host.querySelector(`style[data-fb-style="${STYLE_ID}"]`)) return;
  const style = doc.createElement("style");
  style.setAttribute("data-fb-style", STYLE_ID);
  style.textContent = CSS;
  host.appendChild(style);
}
