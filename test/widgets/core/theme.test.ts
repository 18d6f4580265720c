import { test } from "node:test";
import assert from "node:assert/strict";
import { hostTheme, luminance, type HostSignals } from "../../../widgets/core/theme.js";

const none: HostSignals = { jupyterLight: null, bodyClasses: [], vscodeKind: null, backgrounds: [], prefersDark: false };

test("luminance: rgb, rgba, hex; transparent is unknown", () => {
  assert.ok(luminance("rgb(30, 30, 30)")! < 0.02);
  assert.equal(luminance("#ffffff"), 1);
  assert.equal(luminance("#fff"), 1);
  assert.equal(luminance("rgba(0, 0, 0, 0)"), null);
  assert.ok(luminance("rgb(255 255 255 / 50%)")! > 0.9);
  assert.equal(luminance("transparent"), null);
});

test("hostTheme: JupyterLab, then VS Code, then the background, then the system", () => {
  assert.equal(hostTheme({ ...none, jupyterLight: "false", prefersDark: false }), "dark");
  assert.equal(hostTheme({ ...none, jupyterLight: "true", bodyClasses: ["vscode-dark"] }), "light");
  assert.equal(hostTheme({ ...none, bodyClasses: ["vscode-dark"] }), "dark");
  assert.equal(hostTheme({ ...none, vscodeKind: "vscode-high-contrast-light", bodyClasses: ["vscode-dark"] }), "light");
  assert.equal(hostTheme({ ...none, backgrounds: ["rgba(0, 0, 0, 0)", "rgb(17, 17, 17)", "rgb(255, 255, 255)"] }), "dark");
  assert.equal(hostTheme({ ...none, backgrounds: ["rgb(250, 250, 250)"], prefersDark: true }), "light");
  assert.equal(hostTheme({ ...none, backgrounds: ["rgba(0, 0, 0, 0)"], prefersDark: true }), "dark");
  assert.equal(hostTheme(none), "light");
});
