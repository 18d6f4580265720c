#!/usr/bin/env node
// The `flamebook` command: runs the built CLI (npm run build writes dist/).
import("../dist/esm/cli/bin.js");
