"""The flamegraph widget's comm round trip through jupyter_client, as a front end does it.

Usage: widget_comm.py <kernel_name> <cwd> <profile>. Prints one JSON object per line; the node
test (widget-comm.test.ts) checks them.
"""
import json
import sys
import time

from jupyter_client.manager import start_new_kernel


def run(kc, code):
    """Executes code; returns the iopub messages of that request, up to idle."""
    msg_id = kc.execute(code)
    out = []
    while True:
        m = kc.get_iopub_msg(timeout=90)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        out.append(m)
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return out


def emit(**kw):
    print(json.dumps(kw), flush=True)


name, cwd, profile = sys.argv[1:4]
km, kc = start_new_kernel(kernel_name=name, startup_timeout=90, cwd=cwd)
try:
    msgs = run(kc, f'import {{ open }} from "flamebook";\nconst p = await open({json.dumps(profile)});\nconst fg = p.flamegraph();\nfg')
    types = [m["msg_type"] for m in msgs]
    opened = next(m for m in msgs if m["msg_type"] == "comm_open")
    result = next(m for m in msgs if m["msg_type"] == "execute_result")
    state = opened["content"]["data"]["state"]
    emit(step="show", types=types, target=opened["content"]["target_name"], metadata=opened["metadata"],
         model_module=state["_model_module"], has_esm=len(state.get("_esm", "")) > 1000, tree_is_null=state["tree"] is None,
         buffer_paths=opened["content"]["data"]["buffer_paths"], buffers=len(opened["buffers"]),
         result_mimes=sorted(result["content"]["data"].keys()),
         view=result["content"]["data"].get("application/vnd.jupyter.widget-view+json"), comm_id=opened["content"]["comm_id"])
    comm_id = opened["content"]["comm_id"]

    # The front end: the user clicked a frame. The kernel object must see it.
    kc.session.send(kc.shell_channel.socket, "comm_msg", {"comm_id": comm_id, "data": {"method": "update", "state": {"selected": {"node": 3, "name": "wordfreq::main"}}, "buffer_paths": []}})
    time.sleep(0.5)
    msgs = run(kc, "fg.widget().selected")
    echo = [m for m in msgs if m["msg_type"] == "comm_msg"]
    res = next((m for m in msgs if m["msg_type"] == "execute_result"), None)
    emit(step="select", selected=res and res["content"]["data"]["text/plain"])

    # The kernel changes an option: the front end must receive an update.
    msgs = run(kc, 'fg.widget().update({ layout: "icicle" }); 1')
    updates = [m["content"]["data"] for m in msgs if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == comm_id]
    emit(step="update", updates=[{"method": u["method"], "layout": u.get("state", {}).get("options", {}).get("layout")} for u in updates])

    # request_state (what a front end sends when it (re)connects): the whole state comes back.
    kc.session.send(kc.shell_channel.socket, "comm_msg", {"comm_id": comm_id, "data": {"method": "request_state"}})
    deadline = time.time() + 20
    full = None
    while time.time() < deadline and full is None:
        m = kc.get_iopub_msg(timeout=20)
        if m["msg_type"] == "comm_msg" and m["content"]["data"].get("method") == "update" and "tree_header" in m["content"]["data"].get("state", {}):
            full = m
    emit(step="request_state", ok=full is not None, buffers=len(full["buffers"]) if full else 0)
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
