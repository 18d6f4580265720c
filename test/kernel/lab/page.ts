// The page side of the JupyterLab notebook test (bundled by test/kernel/lab/bundle.ts, not a test
// file): a real JupyterLab application (`JupyterLab` with its `LabShell`) whose notebook is the full
// `NotebookPanel` of @jupyterlab/notebook, opened by @jupyterlab/docmanager with CodeMirror
// editors and @jupyterlab/rendermime's standard renderers, talking to Jupyter Server through
// @jupyterlab/services. The plugins below provide what JupyterLab's rendermime-extension,
// codemirror-extension and notebook-extension provide; the widget plugins of each case (the real
// @jupyter-widgets/jupyterlab-manager, anywidget's) are passed in and activated by JupyterLab's
// plugin system, as in a lab. The test drives it through `window.lab`.
// CSS order as in a lab: a file imported twice is placed at its last import (CSS semantics), so the
// notebook's comes first and the shell's, which imports lumino's before its own rules, after it.
import "@jupyterlab/notebook/style/index.css";
import "@jupyterlab/application/style/index.css";
import "@jupyterlab/theme-light-extension/style/theme.css";
import { JupyterLab, LabShell, LayoutRestorer, type JupyterFrontEndPlugin } from "@jupyterlab/application";
import { StateDB } from "@jupyterlab/statedb";
import { Sanitizer } from "@jupyterlab/apputils";
import { CodeMirrorEditorFactory, CodeMirrorMimeTypeService, EditorExtensionRegistry, EditorLanguageRegistry, EditorThemeRegistry, ybinding } from "@jupyterlab/codemirror";
import { DocumentManager, type IDocumentWidgetOpener } from "@jupyterlab/docmanager";
import type { IDocumentWidget } from "@jupyterlab/docregistry";
import { INotebookTracker, NotebookActions, NotebookModelFactory, NotebookPanel, NotebookTracker, NotebookWidgetFactory, StaticNotebook } from "@jupyterlab/notebook";
import { IRenderMimeRegistry, RenderMimeRegistry, standardRendererFactories } from "@jupyterlab/rendermime";
import { Signal } from "@lumino/signaling";

/** IRenderMimeRegistry with the standard renderers (what rendermime-extension provides). */
const rendermimePlugin: JupyterFrontEndPlugin<IRenderMimeRegistry> = {
  id: "flamebook-lab-test:rendermime",
  provides: IRenderMimeRegistry,
  autoStart: true,
  activate: () => new RenderMimeRegistry({ initialFactories: standardRendererFactories, sanitizer: new Sanitizer() }),
};

let factory: NotebookWidgetFactory | undefined;

/** The notebook document type and INotebookTracker (what notebook-extension provides), with CodeMirror editors. */
const notebookPlugin: JupyterFrontEndPlugin<INotebookTracker> = {
  id: "flamebook-lab-test:notebook",
  provides: INotebookTracker,
  requires: [IRenderMimeRegistry],
  autoStart: true,
  activate: (app, rendermime: IRenderMimeRegistry) => {
    const languages = new EditorLanguageRegistry();
    for (const l of EditorLanguageRegistry.getDefaultLanguages()) languages.addLanguage(l);
    const themes = new EditorThemeRegistry();
    for (const t of EditorThemeRegistry.getDefaultThemes()) themes.addTheme(t);
    const extensions = new EditorExtensionRegistry();
    for (const e of EditorExtensionRegistry.getDefaultExtensions({ themes })) extensions.addExtension(e);
    extensions.addExtension({
      name: "binding",
      factory: ({ model }) =>
        EditorExtensionRegistry.createImmutableExtension(ybinding({ ytext: (model.sharedModel as unknown as { ysource: Parameters<typeof ybinding>[0]["ytext"] }).ysource, undoManager: (model.sharedModel as unknown as { undoManager: Parameters<typeof ybinding>[0]["undoManager"] }).undoManager ?? undefined })),
    });
    const editors = new CodeMirrorEditorFactory({ languages, extensions });
    const tracker = new NotebookTracker({ namespace: "notebook" });
    app.docRegistry.addModelFactory(new NotebookModelFactory({}));
    factory = new NotebookWidgetFactory({
      name: "Notebook",
      modelName: "notebook",
      fileTypes: ["notebook"],
      defaultFor: ["notebook"],
      preferKernel: true,
      canStartKernel: true,
      rendermime,
      contentFactory: new NotebookPanel.ContentFactory({ editorFactory: editors.newInlineEditor }),
      mimeTypeService: new CodeMirrorMimeTypeService(languages),
      editorConfig: StaticNotebook.defaultEditorConfig,
      notebookConfig: StaticNotebook.defaultNotebookConfig,
    });
    app.docRegistry.addWidgetFactory(factory);
    factory.widgetCreated.connect((_, panel) => void tracker.add(panel));
    return tracker;
  },
};

/** Puts opened documents in the lab's main area (what docmanager-extension's opener does). */
class Opener implements IDocumentWidgetOpener {
  readonly opened = new Signal<this, IDocumentWidget>(this);
  constructor(private readonly lab: JupyterLab) {}
  open(widget: IDocumentWidget): void {
    if (!widget.isAttached) this.lab.shell.add(widget, "main");
    this.lab.shell.activateById(widget.id);
    this.opened.emit(widget);
  }
}

/** What one cell run gave. */
export interface CellRan {
  ok: boolean;
  /** The output types of the cell, in order (stream, execute_result, display_data, error). */
  outputs: string[];
}

/**
 * Starts JupyterLab with the core plugins above and `extra` (the case's widget plugins), then
 * exposes `window.lab`.
 *
 * @example
 * await startLab([...jupyterlabManagerPlugins, anywidgetPlugin]); await window.lab.open("a.ipynb", "flamebook");
 */
export async function startLab(extra: readonly JupyterFrontEndPlugin<unknown>[]): Promise<void> {
  const lab = new JupyterLab({ shell: new LabShell() });
  lab.registerPlugins([rendermimePlugin, notebookPlugin, ...extra] as JupyterFrontEndPlugin<unknown>[]);
  await lab.start();
  // What application-extension's layout plugin does: restore the (empty) saved layout, which
  // lets the shell place widgets.
  await lab.shell.restoreLayout("multiple-document", new LayoutRestorer({ connector: new StateDB(), first: lab.started, registry: lab.commands }));
  const docs = new DocumentManager({ registry: lab.docRegistry, manager: lab.serviceManager, opener: new Opener(lab) });
  let panel: NotebookPanel | undefined;
  const api = {
    /** The plugins JupyterLab activated (ids). */
    plugins: (): string[] => lab.listPlugins().filter((id) => lab.isPluginActivated(id)),
    /** Opens a notebook with a kernel by name; resolves with the kernel's implementation once it is ready. */
    async open(path: string, kernel: string): Promise<string> {
      panel = docs.open(path, "Notebook", { name: kernel }) as NotebookPanel | undefined;
      if (!panel) throw new Error(`could not open ${path}`);
      await panel.context.ready;
      // Lay the shell out again now that it has a document (a browser window's resize does this).
      lab.shell.fit();
      window.dispatchEvent(new Event("resize"));
      await panel.sessionContext.ready;
      const k = panel.sessionContext.session?.kernel;
      if (!k) throw new Error("no kernel");
      return (await k.info).implementation;
    },
    /** Runs cell `index` as Shift+Enter does (NotebookActions.run on the active cell). */
    async run(index: number): Promise<CellRan> {
      const nb = panel!.content;
      nb.activeCellIndex = index;
      nb.deselectAll();
      const ok = await NotebookActions.run(nb, panel!.sessionContext);
      const model = nb.widgets[index]!.model.toJSON() as { outputs?: { output_type: string }[] };
      return { ok, outputs: (model.outputs ?? []).map((o) => o.output_type) };
    },
    /** Marks cell `index`'s node (data-fb-cell) so the test can find its outputs. */
    markCells(): number {
      panel!.content.widgets.forEach((c, i) => c.node.setAttribute("data-fb-cell", String(i)));
      return panel!.content.widgets.length;
    },
    async shutdown(): Promise<void> {
      await panel?.sessionContext.shutdown();
    },
  };
  (window as unknown as { lab: typeof api }).lab = api;
}
