// The anywidget host: an ES module with `render({ model, el })`, sent by the kernel as `_esm`.
// anywidget's front end (JupyterLab with anywidget, VS Code, Colab) imports it and calls render
// once per view; the function it returns is called when the view goes away.
import { bindFlamegraph, type WidgetModelLike } from "./model-binding.js";

export default {
  /**
   * Renders one view of a flamebook widget model.
   *
   * @example
   * const cleanup = await widget.render({ model, el: document.body });
   */
  render({ model, el }: { model: WidgetModelLike; el: HTMLElement }): Promise<() => void> {
    return bindFlamegraph(model, el);
  },
};
