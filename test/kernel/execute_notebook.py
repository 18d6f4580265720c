"""Executes a notebook with nbclient (widget state stored) and validates the result with nbformat.

Usage: execute_notebook.py <kernel_name> <notebook_in> <notebook_out> <cwd>. Run by
notebook-widgets.test.ts with Debian's /usr/bin/python3; the node test checks the saved notebook.
Prints one JSON line: {"ok": true, "validated": true, "took_s": …} or exits non-zero with the error.
"""
import json
import sys
import time

import nbformat
from nbclient import NotebookClient

kernel_name, src, dst, cwd = sys.argv[1:5]
nb = nbformat.read(src, as_version=4)
client = NotebookClient(
    nb,
    kernel_name=kernel_name,
    timeout=120,
    startup_timeout=90,
    allow_errors=False,
    store_widget_state=True,
    resources={"metadata": {"path": cwd}},
)
start = time.time()
client.execute()
took = time.time() - start
nbformat.validate(nb)  # raises ValidationError on an invalid notebook
nbformat.write(nb, dst)
# Read back what was written and validate it again, as a user's tools would.
nbformat.validate(nbformat.read(dst, as_version=4))
print(json.dumps({"ok": True, "validated": True, "took_s": round(took, 2)}), flush=True)
