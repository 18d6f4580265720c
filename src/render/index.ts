export { tableBundle, type MimeBundle } from "./table-bundle.js";
