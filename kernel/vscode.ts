// Whether VS Code's Jupyter extension started this kernel, and what that means for widgets.
//
// VS Code puts the extension host's entry point in the environment of its extension host:
// VSCODE_ESM_ENTRYPOINT=vs/workbench/api/node/extensionHostProcess (VSCODE_AMD_ENTRYPOINT in older
// releases, with .../services/extensions/node/extensionHostProcess in the oldest), in microsoft/vscode
// src/vs/workbench/services/extensions/electron-{sandbox,browser}/localProcessExtensionHost.ts and,
// for remote hosts, src/vs/server/node/extensionHostConnection.ts. The Jupyter extension
// starts local kernels with that environment (microsoft/vscode-jupyter
// src/kernels/raw/launcher/kernelEnvVarsService.node.ts: `{ ...process.env }`). Integrated
// terminals get an environment without VSCODE_* variables (sanitizeProcessEnvironment in
// src/vs/base/common/processes.ts), so a JupyterLab started from one is not mistaken for VS Code.
//
// For a kernel that is not Python, the Jupyter extension finds widget modules such as anywidget
// only on a CDN, and only once the user allowed one (`jupyter.widgetScriptSources`, empty by
// default; src/notebooks/controllers/ipywidgets/scriptSourceProvider/nbExtensionsPathProvider.node.ts
// and cdnWidgetScriptSourceProvider.ts). Without it the widget output stays an empty box behind a
// modal error, and VS Code does not fall back to the next mimetype. The kernel therefore sends no
// widget view there, so VS Code shows the self-contained text/html; FLAMEBOOK_WIDGETS=anywidget
// asks for the live view anyway.
import type { WidgetFrontEnd } from "../src/widget/front-end.js";

/** The extension host's entry point module, as VS Code writes it into the host's environment. */
const EXTENSION_HOST = /(^|\/)extensionHostProcess$/;

/**
 * Whether this process was started from a VS Code extension host (VS Code, or a fork that keeps
 * its environment: VSCodium, Cursor), i.e. by the Jupyter extension.
 *
 * @example
 * startedByVsCode({ VSCODE_ESM_ENTRYPOINT: "vs/workbench/api/node/extensionHostProcess" }); // true
 * startedByVsCode({ TERM_PROGRAM: "vscode" }); // false: a terminal inside VS Code is not the extension
 */
export function startedByVsCode(env: Readonly<Record<string, string | undefined>>): boolean {
  return EXTENSION_HOST.test(env["VSCODE_ESM_ENTRYPOINT"] ?? "") || EXTENSION_HOST.test(env["VSCODE_AMD_ENTRYPOINT"] ?? "");
}

/**
 * The widget front end to install for a kernel that VS Code started: none (outputs carry no
 * widget view, VS Code draws their `text/html`), unless FLAMEBOOK_WIDGETS chooses; null when VS
 * Code did not start the kernel or the user chose, so the usual detection decides.
 *
 * @example
 * const fe = vscodeWidgetFrontEnd(process.env);
 * if (fe) setWidgetFrontEnd(fe);
 */
export function vscodeWidgetFrontEnd(env: Readonly<Record<string, string | undefined>>): WidgetFrontEnd | null {
  const setting = (env["FLAMEBOOK_WIDGETS"] ?? "").trim();
  if ((setting !== "" && setting !== "auto") || !startedByVsCode(env)) return null;
  return {
    anywidget: null,
    reason:
      "started by VS Code's Jupyter extension, which loads anywidget for a kernel that is not Python only from a CDN the user allowed (jupyter.widgetScriptSources): " +
      "outputs show their self-contained text/html; FLAMEBOOK_WIDGETS=anywidget asks for the live widget",
  };
}
