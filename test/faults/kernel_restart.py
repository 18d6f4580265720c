"""Restarts the flamebook kernel while a cell runs an experiment (perf-profiled runs of a busy
shell loop), and reports what happened as one JSON line on stdout.

Run by test/faults/kernel-restart.test.ts with /usr/bin/python3 and JUPYTER_PATH pointing at a
temporary kernelspec named "flamebook-fault". Arguments: mode ("shutdown" sends
shutdown_request with restart=true and waits for the kernel to exit; "kill" restarts it at once,
which SIGKILLs the kernel's process group), the marker on the program's command line, the store.
"""
import json
import os
import sys
import time

from jupyter_client.manager import start_new_kernel

mode, marker, store = sys.argv[1], sys.argv[2], sys.argv[3]
TIMEOUT = 60


def ours():
    """Live processes whose command line names the marker or the store (program, perf)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
            with open(f"/proc/{pid}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and (marker in cmd or store in cmd) and int(pid) not in (os.getpid(), os.getppid()) and "kernel_restart.py" not in cmd:
            found.append(cmd[:160])
    return found


km, kc = start_new_kernel(kernel_name="flamebook-fault", startup_timeout=TIMEOUT)
result = {"mode": mode}
try:
    loop = f"end=$(($(date +%s)+3)); while [ $(date +%s) -lt $end ]; do :; done # {marker}"
    code = (
        'import { experiment } from "flamebook";\n'
        f'await experiment({{ exe: "/bin/sh", args: ["-c", {json.dumps(loop)}],\n'
        '  variants: { a: {}, b: { env: { FB_VARIANT: "b" } } }, runs: 2, warmup: 0,\n'
        f'  measure: ["perf"], store: {json.dumps(store)} }});'
    )
    kc.execute(code)
    deadline = time.time() + 30
    while not (any(c.startswith("perf record") for c in ours()) and any(c.startswith("/bin/sh -c") for c in ours())) and time.time() < deadline:
        time.sleep(0.1)
    result["before"] = ours()
    time.sleep(0.5)
    old_pid = km.provisioner.process.pid
    t0 = time.time()
    km.restart_kernel(now=(mode == "kill"))
    result["restart_s"] = round(time.time() - t0, 2)
    kc.wait_for_ready(timeout=TIMEOUT)
    result["new_kernel"] = km.provisioner.process.pid != old_pid
    time.sleep(1.0)
    result["after"] = ours()
    # The restarted kernel works.
    msg_id = kc.execute("6 * 7")
    reply = kc.get_shell_msg(timeout=TIMEOUT)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=TIMEOUT)
    result["next_cell"] = reply["content"]["status"]
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
print(json.dumps(result), flush=True)
