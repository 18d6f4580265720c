"""Times one kernel start through jupyter_client (Debian's /usr/bin/python3), for bench/kernel.ts.

Usage: kernel_client.py <kernel_name> <cwd> <first_cell> <trivial_cell> <trivial_runs> [<pause_s>]
(JUPYTER_PATH must hold the kernelspec). With a pause, the first cell is sent that many seconds
after jupyter_client's ready, as a user typing it would; without, at once (as "Run All" does).
Prints one JSON object:
  ready_s        start_kernel() until the first kernel_info_reply (the kernel answers requests);
  jc_ready_s     until jupyter_client's wait_for_ready() returns, i.e. what start_new_kernel()
                 costs a front end (it adds an iopub check and a 0.2 s iopub flush);
  first_s        the first cell (execute_request until execute_reply);
  trivial_s      every run of the trivial cell, in order;
  rss_mb         the kernel process's VmRSS after the cells;
  status         "ok", or what failed.
"""
import json
import sys
import time
from queue import Empty

from jupyter_client.manager import KernelManager


def execute(kc, code, timeout=120):
    """Seconds from execute_request to its execute_reply; raises unless the status is ok."""
    t0 = time.perf_counter()
    msg_id = kc.execute(code)
    while True:
        m = kc.get_shell_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") == msg_id:
            break
    dt = time.perf_counter() - t0
    if m["content"]["status"] != "ok":
        raise RuntimeError(f"{code!r}: {m['content'].get('ename')}: {m['content'].get('evalue')}")
    return dt


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main():
    name, cwd, first, trivial, runs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
    pause = float(sys.argv[6]) if len(sys.argv) > 6 else 0.0
    out = {"kernel": name}
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel(cwd=cwd)
    kc = km.client()
    kc.start_channels()
    try:
        # The request waits in the DEALER socket until the kernel binds its shell socket.
        kc.kernel_info()
        deadline = time.time() + 120
        while True:
            try:
                m = kc.get_shell_msg(timeout=1)
            except Empty:
                if not km.is_alive():
                    raise RuntimeError("the kernel died before replying to kernel_info")
                if time.time() > deadline:
                    raise RuntimeError("no kernel_info_reply in 120 s")
                continue
            if m["msg_type"] == "kernel_info_reply":
                break
        out["ready_s"] = time.perf_counter() - t0
        kc.wait_for_ready(timeout=120)
        out["jc_ready_s"] = time.perf_counter() - t0
        time.sleep(pause)
        out["first_s"] = execute(kc, first)
        out["trivial_s"] = [execute(kc, trivial) for _ in range(runs)]
        out["rss_mb"] = rss_mb(km.provisioner.process.pid)
        out["status"] = "ok"
    except Exception as e:  # reported, and the kernel is still shut down
        out["status"] = f"{type(e).__name__}: {e}"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    print(json.dumps(out), flush=True)


main()
