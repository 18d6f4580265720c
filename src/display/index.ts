export { MIMEBUNDLE, mimeBundleOf, type Displayable } from "./mime.js";
export { display, clearOutput, setDisplayHost, hasDisplayHost, isDisplayHandle, DISPLAY_HANDLE, type Display, type DisplayHost, type DisplayHandle } from "./display.js";
