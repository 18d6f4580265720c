export { MIMEBUNDLE, mimeBundleOf, type Displayable } from "./mime.js";
export { display, clearOutput, setDisplayHost, hasDisplayHost, type DisplayHost, type DisplayHandle } from "./display.js";
