// The page side of the live browser test (bundled, not a test file): npm anywidget's front end is
// an AMD module (`define(["@jupyter-widgets/base"], factory)`). This module, imported before it,
// provides the global `define` that catches the factory, so the page can build AnyModel/AnyView
// from the same @jupyter-widgets/base its widget manager uses.
import "./amd-define.js";
import "anywidget";
import { amdFactory } from "./amd-define.js";

type Classes = Record<string, unknown>;

/** anywidget's widget classes (AnyModel, AnyView) built on the given @jupyter-widgets/base. */
export function anywidgetClasses(base: object): Classes {
  const factory = amdFactory("@jupyter-widgets/base");
  return factory(base) as Classes;
}
