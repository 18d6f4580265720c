// `flamebook report`: an executed notebook as one self-contained HTML page. What is trusted and how
// is in sanitize.ts. Only the report's entry points are public; its parts stay internal (nbformat
// types belong to the shared notebook model in src/notebook/, which the report reads through).
export { renderReport, type RenderReportOptions } from "./render.js";
export { writeReport } from "./write.js";
export { readReportNotebook, type ReportNotebook } from "./notebook.js";
