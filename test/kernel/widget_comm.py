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
         model_module=state["_model_module"], model_module_version=state["_model_module_version"], has_esm=len(state.get("_esm", "")) > 1000, tree_is_null=state["tree"] is None,
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

    def shell(msg_type, content):
        """Sends a shell request; returns its reply (the other replies are not awaited by this script)."""
        msg = kc.session.msg(msg_type, content)
        kc.shell_channel.send(msg)
        while True:
            r = kc.get_shell_msg(timeout=20)
            if r["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                return r

    # A front end that creates a model itself (comm_open to jupyter.widget from the client).
    kc.shell_channel.send(kc.session.msg("comm_open", {"comm_id": "fe-model-1", "target_name": "jupyter.widget",
                        "data": {"state": {"_model_name": "IntModel", "_model_module": "@jupyter-widgets/controls", "_model_module_version": "2.0.0", "value": 3}, "buffer_paths": []}}))
    # comm_open has no reply; the shell queue is ordered, so this reply comes after it was handled.
    info = shell("comm_info_request", {"target_name": "jupyter.widget"})["content"]["comms"]
    emit(step="comm_info", ids=sorted(info.keys()), targets=sorted({v["target_name"] for v in info.values()}))

    # What JupyterLab and VS Code do on (re)connecting: ask the control comm for every state.
    kc.shell_channel.send(kc.session.msg("comm_open", {"comm_id": "control-1", "target_name": "jupyter.widget.control", "data": {}}, metadata={"version": "1.0.0"}))
    kc.session.send(kc.shell_channel.socket, kc.session.msg("comm_msg", {"comm_id": "control-1", "data": {"method": "request_states"}}))
    states = None
    started = time.time()
    deadline = started + 20
    while time.time() < deadline and states is None:
        m = kc.get_iopub_msg(timeout=20)
        if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == "control-1":
            states = m
    took = time.time() - started
    data = states["content"]["data"] if states else {}
    st = data.get("states", {})
    emit(step="update_states", method=data.get("method"), ids=sorted(st.keys()), took_s=round(took, 2),
         names={k: v["model_name"] for k, v in st.items()}, modules={k: v["model_module"] for k, v in st.items()},
         fe_value=st.get("fe-model-1", {}).get("state", {}).get("value"), layout=st.get(comm_id, {}).get("state", {}).get("options", {}).get("layout"),
         buffer_paths=data.get("buffer_paths"), buffers=[len(b) for b in states["buffers"]] if states else [])
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
