// The entry point of the `flamebook` command (bin/flamebook.js loads the built copy).
import { main } from "./main.js";

process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0); // `flamebook collapse … | head` is fine
  throw e;
});
void main(process.argv.slice(2));
