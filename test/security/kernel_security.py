"""Security checks on the real flamebook kernel, started by jupyter_client with a connection file
on 127.0.0.1. Prints one JSON object on stdout; test/security/kernel-security.test.ts asserts.

- listening: every TCP socket the kernel (or any process under it) listens on, from /proc/net/tcp
  and tcp6 matched against the socket inodes in /proc/<pid>/fd;
- forged: execute_requests whose code would create a side-effect file, sent with a wrong HMAC,
  with no signature, and as a validly signed message replayed with its content changed; plus a
  badly signed shutdown_request on the control channel;
- after: whether the side-effect files exist, and whether a well-signed request still runs.
"""
import json
import os
import queue
import sys
import time

from jupyter_client.manager import start_new_kernel
from jupyter_client.session import Session

side = sys.argv[1]
TIMEOUT = 60


def tree(root):
    kids = {}
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            with open(f"/proc/{p}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        kids.setdefault(ppid, []).append(int(p))
    out, stack = [], [root]
    while stack:
        pid = stack.pop()
        out.append(pid)
        stack.extend(kids.get(pid, []))
    return out


def listening(pids):
    inodes = set()
    for pid in pids:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                try:
                    target = os.readlink(f"/proc/{pid}/fd/{fd}")
                except OSError:
                    continue
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        except OSError:
            continue
    found = []
    for name, v6 in (("tcp", False), ("tcp6", True)):
        try:
            with open(f"/proc/net/{name}") as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            cols = row.split()
            local, state, inode = cols[1], cols[3], cols[9]
            if state != "0A" or inode not in inodes:  # 0A = LISTEN
                continue
            addr_hex, port_hex = local.split(":")
            if v6:
                raw = bytes.fromhex(addr_hex)
                words = [raw[i:i + 4][::-1] for i in range(0, 16, 4)]
                addr = ":".join(b.hex() for b in words)
            else:
                addr = ".".join(str(b) for b in bytes.fromhex(addr_hex)[::-1])
            found.append({"family": name, "addr": addr, "port": int(port_hex, 16)})
    return found


def code_for(path):
    return f'import * as fs from "fs"; fs.writeFileSync({json.dumps(path)}, "pwned");'


def request(code):
    return {"code": code, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}


km, kc = start_new_kernel(kernel_name="flamebook-security", startup_timeout=TIMEOUT)
result = {}
try:
    info = km.get_connection_info()
    result["ip"] = info["ip"]
    result["ports"] = sorted(info[k] for k in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"))
    result["listening"] = listening(tree(km.provisioner.process.pid))

    shell = kc.shell_channel.socket
    good = kc.session
    while True:  # drop replies to start-up requests (kernel_info)
        try:
            kc.get_shell_msg(timeout=0.5)
        except queue.Empty:
            break
    forged_ids = []
    files = {k: os.path.join(side, k) for k in ("wrong_key", "unsigned", "modified", "control")}
    # 1. Signed with another key.
    bad = Session(key=b"not-the-key", username=good.username)
    m1 = bad.msg("execute_request", request(code_for(files["wrong_key"])))
    forged_ids.append(m1["header"]["msg_id"])
    bad.send(shell, m1)
    # 2. No signature at all.
    unsigned = Session(key=b"", username=good.username)
    m2 = unsigned.msg("execute_request", request(code_for(files["unsigned"])))
    forged_ids.append(m2["header"]["msg_id"])
    unsigned.send(shell, m2)
    # 3. A validly signed harmless request, replayed with its content changed (signature kept).
    msg = good.msg("execute_request", request("1 + 1"))
    forged_ids.append(msg["header"]["msg_id"])
    frames = good.serialize(msg)
    delim = frames.index(b"<IDS|MSG>")
    frames[delim + 5] = json.dumps(request(code_for(files["modified"]))).encode()
    shell.send_multipart(frames)
    # 4. A badly signed shutdown on the control channel, and a badly signed execute there too.
    m4 = bad.msg("shutdown_request", {"restart": False})
    m5 = bad.msg("execute_request", request(code_for(files["control"])))
    forged_ids += [m4["header"]["msg_id"], m5["header"]["msg_id"]]
    bad.send(kc.control_channel.socket, m4)
    bad.send(kc.control_channel.socket, m5)
    time.sleep(1.0)
    # The same code, well signed, does create its file (so the payload itself works).
    files["signed"] = os.path.join(side, "signed")
    ok_id = kc.execute(code_for(files["signed"]))
    while kc.get_shell_msg(timeout=TIMEOUT)["parent_header"].get("msg_id") != ok_id:
        pass
    # A well-signed request still runs, and sees none of the forged requests' files.
    probe = 'import * as fs from "fs"; JSON.stringify(%s.map((f) => fs.existsSync(f)))' % json.dumps(list(files.values()))
    msg_id = kc.execute(probe)
    replies = []
    deadline = time.time() + TIMEOUT
    while time.time() < deadline:
        r = kc.get_shell_msg(timeout=TIMEOUT)
        replies.append(r["parent_header"].get("msg_id"))
        if r["parent_header"].get("msg_id") == msg_id:
            result["probe_status"] = r["content"]["status"]
            break
    result["replies_to_other_requests"] = [m for m in replies if m != msg_id]
    while True:
        try:
            m = kc.get_iopub_msg(timeout=2)
        except queue.Empty:
            break
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_result":
            result["probe"] = m["content"]["data"]["text/plain"]
    try:
        extra = kc.get_shell_msg(timeout=0.5)
        result["replies_to_other_requests"].append(extra["parent_header"].get("msg_id"))
    except queue.Empty:
        pass
    try:
        while True:
            c = kc.get_control_msg(timeout=0.5)
            result["replies_to_other_requests"].append(c["parent_header"].get("msg_id"))
    except queue.Empty:
        pass
    result["forged_answered"] = [m for m in result["replies_to_other_requests"] if m in forged_ids]
    result["alive"] = km.is_alive()
    result["files"] = {k: os.path.exists(v) for k, v in files.items()}
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
print(json.dumps(result), flush=True)
