import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { createCommRegistry } from "../../kernel/comms.js";
import type { CellExecutor, CellOutcome, DisplayHook } from "../../kernel/executor.js";
import { codePointsToUtf16, createKernelHandler, utf16ToCodePoints } from "../../kernel/handler.js";
import type { StreamSink } from "../../kernel/streams.js";
import type { Channel } from "../../kernel/transport.js";
import { createMessage, type JsonObject, type Message } from "../../kernel/wire.js";

/** A fake executor: `code` is looked up in `outcomes`; "print:x" writes x to stdout. */
function setup(outcomes: Record<string, CellOutcome> = {}) {
  const sent: { channel: Channel; msg: Message }[] = [];
  let sink: StreamSink | undefined;
  let hook: DisplayHook | undefined;
  const events: string[] = [];
  const labels: (string | undefined)[] = [];
  const executor: CellExecutor = {
    async execute(code, opts) {
      labels.push(opts?.label);
      if (code.startsWith("print:")) sink?.("stdout", code.slice(6));
      if (code === "display") hook?.({ data: { "text/html": "<b>d</b>" }, transient: { display_id: "d1" } }, false);
      if (code === "slow") await new Promise((r) => setTimeout(r, 30));
      return outcomes[code] ?? { status: "ok", hasValue: false };
    },
    complete: (_code, cursor) => ({ matches: ["toFixed"], cursor_start: cursor - 3, cursor_end: cursor }),
    inspect: () => "const x: number",
    isComplete: (code) => {
      if (code === "throw") throw new TypeError("the checker broke");
      return code.endsWith("{") ? { status: "incomplete", indent: "  " } : { status: "complete" };
    },
    interrupt: () => void events.push("interrupt"),
    cellStack: (s) => s,
    setDisplayHook: (h) => void (hook = h),
    close: () => {},
  };
  let handler: ReturnType<typeof createKernelHandler>;
  const comms = createCommRegistry((type, content, metadata, buffers) => handler.publish(type, content, metadata, buffers));
  handler = createKernelHandler({
    executor,
    comms,
    session: "kernel-session",
    implementationVersion: "0.1.0",
    languageVersion: "5.0.4",
    send: (channel, msg) => void sent.push({ channel, msg }),
    setStreamSink: (s) => void (sink = s),
    onShutdown: (restart) => void events.push(`shutdown:${restart}`),
    onInterrupt: () => void events.push("kill-children"),
    log: (t) => void events.push(`log:${t}`),
  });
  const request = (msgType: string, content: JsonObject) => createMessage({ msgType, content, session: "client", identities: [Buffer.from("id")] });
  const iopub = (parent: Message) => sent.filter((s) => s.channel === "iopub" && s.msg.parent_header.msg_id === parent.header.msg_id).map((s) => s.msg.header.msg_type);
  const replyTo = (parent: Message) => sent.find((s) => s.channel !== "iopub" && s.msg.parent_header.msg_id === parent.header.msg_id)?.msg;
  return { handler, sent, events, labels, comms, request, iopub, replyTo };
}

const exec = (code: string, extra: JsonObject = {}) => ({ code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true, ...extra });

test("handle kernel_info_request: status ok, 5.3, typescript language_info", async () => {
  const k = setup();
  const req = k.request("kernel_info_request", {});
  await k.handler.handle("shell", req);
  const c = k.replyTo(req)!.content as Record<string, any>;
  assert.equal(c.status, "ok");
  assert.equal(c.protocol_version, "5.3");
  assert.equal(c.implementation, "flamebook");
  assert.equal(c.implementation_version, "0.1.0");
  assert.deepEqual(
    { name: c.language_info.name, version: c.language_info.version, ext: c.language_info.file_extension, mime: c.language_info.mimetype },
    { name: "typescript", version: "5.0.4", ext: ".ts", mime: "text/typescript" },
  );
  assert.deepEqual(k.iopub(req), ["status", "status"]);
});

test("handle execute_request: busy, input, stream, result, idle; count increments", async () => {
  const k = setup({ "print:hi": { status: "ok", hasValue: true, value: 42 } });
  const req = k.request("execute_request", exec("print:hi"));
  await k.handler.handle("shell", req);
  assert.deepEqual(k.iopub(req), ["status", "execute_input", "stream", "execute_result", "status"]);
  const result = k.sent.find((s) => s.msg.header.msg_type === "execute_result")!.msg.content;
  assert.deepEqual(result, { execution_count: 1, data: { "text/plain": "42" }, metadata: {} });
  assert.deepEqual(k.replyTo(req)!.content, { status: "ok", execution_count: 1, user_expressions: {}, payload: [] });
  const second = k.request("execute_request", exec("x"));
  await k.handler.handle("shell", second);
  assert.equal((k.replyTo(second)!.content as { execution_count: number }).execution_count, 2);
  assert.deepEqual(k.labels, ["1", "2"], "cells are labelled by execution count (In[1] in stack traces)");
});

test("handle execute_request: silent sends no outputs and does not count", async () => {
  const k = setup({ "print:hi": { status: "ok", hasValue: true, value: 1 } });
  const req = k.request("execute_request", exec("print:hi", { silent: true }));
  await k.handler.handle("shell", req);
  assert.deepEqual(k.iopub(req), ["status", "status"]);
  assert.equal((k.replyTo(req)!.content as { execution_count: number }).execution_count, 0);
});

test("handle execute_request: an error becomes error + error reply, and queued requests are aborted", async () => {
  const k = setup({ slow: { status: "error", ename: "Error", evalue: "boom", traceback: ["Error: boom"] } });
  const failing = k.request("execute_request", exec("slow"));
  const queued = k.request("execute_request", exec("print:never"));
  const a = k.handler.handle("shell", failing);
  const b = k.handler.handle("shell", queued);
  await Promise.all([a, b]);
  assert.deepEqual(k.iopub(failing), ["status", "execute_input", "error", "status"]);
  assert.equal((k.replyTo(failing)!.content as { status: string }).status, "error");
  assert.equal((k.replyTo(queued)!.content as { status: string }).status, "aborted");
  // A request arriving after the failure runs normally.
  const later = k.request("execute_request", exec("ok"));
  await k.handler.handle("shell", later);
  assert.equal((k.replyTo(later)!.content as { status: string }).status, "ok");
});

test("handle execute_request: stop_on_error false keeps queued requests", async () => {
  const k = setup({ slow: { status: "error", ename: "E", evalue: "e", traceback: [] } });
  const failing = k.request("execute_request", exec("slow", { stop_on_error: false }));
  const queued = k.request("execute_request", exec("ok"));
  await Promise.all([k.handler.handle("shell", failing), k.handler.handle("shell", queued)]);
  assert.equal((k.replyTo(queued)!.content as { status: string }).status, "ok");
});

test("handle execute_request: display.* becomes display_data with transient display_id", async () => {
  const k = setup();
  const req = k.request("execute_request", exec("display"));
  await k.handler.handle("shell", req);
  const d = k.sent.find((s) => s.msg.header.msg_type === "display_data")!.msg;
  assert.deepEqual(d.content, { data: { "text/html": "<b>d</b>" }, metadata: {}, transient: { display_id: "d1" } });
  assert.equal(d.parent_header.msg_id, req.header.msg_id);
});

test("handle complete/inspect/is_complete/history: well-formed replies", async () => {
  const k = setup();
  const c = k.request("complete_request", { code: "x.toF", cursor_pos: 5 });
  const i = k.request("inspect_request", { code: "x", cursor_pos: 1, detail_level: 0 });
  const ic = k.request("is_complete_request", { code: "function f() {" });
  const h = k.request("history_request", { output: false, raw: true, hist_access_type: "tail", n: 10 });
  for (const r of [c, i, ic, h]) await k.handler.handle("shell", r);
  assert.deepEqual(k.replyTo(c)!.content, { status: "ok", matches: ["toFixed"], cursor_start: 2, cursor_end: 5, metadata: {} });
  assert.deepEqual(k.replyTo(i)!.content, { status: "ok", found: true, data: { "text/plain": "const x: number" }, metadata: {} });
  assert.deepEqual(k.replyTo(ic)!.content, { status: "incomplete", indent: "  " });
  assert.deepEqual(k.replyTo(h)!.content, { status: "ok", history: [] });
});

test("handle comm_open/comm_msg/comm_info_request/comm_close: front-end comms reach kernel handlers", async () => {
  const k = setup();
  const got: unknown[] = [];
  k.comms.registerTarget("echo", (comm, data) => {
    got.push(["open", data]);
    comm.onMsg((d) => {
      got.push(["msg", d]);
      comm.send({ echo: d });
    });
    comm.onClose(() => got.push(["close"]));
  });
  await k.handler.handle("shell", k.request("comm_open", { comm_id: "c1", target_name: "echo", data: { a: 1 } }));
  const msg = k.request("comm_msg", { comm_id: "c1", data: { b: 2 } });
  await k.handler.handle("shell", msg);
  const info = k.request("comm_info_request", { target_name: "echo" });
  await k.handler.handle("shell", info);
  assert.deepEqual(k.replyTo(info)!.content, { status: "ok", comms: { c1: { target_name: "echo" } } });
  const echo = k.sent.find((s) => s.msg.header.msg_type === "comm_msg")!.msg;
  assert.deepEqual(echo.content, { comm_id: "c1", data: { echo: { b: 2 } } });
  assert.equal(echo.parent_header.msg_id, msg.header.msg_id);
  await k.handler.handle("shell", k.request("comm_close", { comm_id: "c1", data: {} }));
  assert.deepEqual(got, [["open", { a: 1 }], ["msg", { b: 2 }], ["close"]]);
  assert.deepEqual(k.comms.info(), {});
});

test("comms.open: kernel-side comm sends comm_open with metadata and is listed", () => {
  const k = setup();
  const c = k.comms.open("jupyter.widget", { state: {} }, { version: "2.1.0" });
  const open = k.sent.find((s) => s.msg.header.msg_type === "comm_open")!.msg;
  assert.deepEqual(open.content, { comm_id: c.id, target_name: "jupyter.widget", data: { state: {} } });
  assert.deepEqual(open.metadata, { version: "2.1.0" });
  assert.deepEqual(k.comms.info("jupyter.widget"), { [c.id]: { target_name: "jupyter.widget" } });
  c.close();
  assert.deepEqual(k.comms.info(), {});
});

test("handle comm_open: unknown target is closed", async () => {
  const k = setup();
  await k.handler.handle("shell", k.request("comm_open", { comm_id: "c9", target_name: "nope", data: {} }));
  assert.ok(k.sent.some((s) => s.msg.header.msg_type === "comm_close" && (s.msg.content as { comm_id: string }).comm_id === "c9"));
});

test("handle interrupt_request and shutdown_request on control", async () => {
  const k = setup();
  const i = k.request("interrupt_request", {});
  await k.handler.handle("control", i);
  assert.deepEqual(k.replyTo(i)!.content, { status: "ok" });
  const s = k.request("shutdown_request", { restart: true });
  await k.handler.handle("control", s);
  assert.deepEqual(k.replyTo(s)!.content, { status: "ok", restart: true });
  assert.deepEqual(k.events, ["interrupt", "kill-children", "shutdown:true"]);
});

test("handle execute_request without code: an InvalidRequest error reply naming the field; nothing runs or counts", async () => {
  const k = setup();
  const req = k.request("execute_request", { silent: false, store_history: true });
  await k.handler.handle("shell", req);
  assert.deepEqual(k.replyTo(req)!.header.msg_type, "execute_reply");
  assert.deepEqual(k.replyTo(req)!.content, {
    status: "error",
    ename: "InvalidRequest",
    evalue: "execute_request: content.code is missing (expected a string)",
    traceback: [],
    execution_count: 0,
  });
  assert.deepEqual(k.iopub(req), ["status", "status"], "busy, idle: no execute_input, no error output");
  assert.deepEqual(k.labels, [], "the executor was not called");
  assert.ok(k.events.some((e) => /^log:shell: invalid execute_request: content\.code is missing/.test(e)));
  // The kernel goes on: the next cell runs and is In[1] (a malformed request does not abort the queue).
  const next = k.request("execute_request", exec("1"));
  await k.handler.handle("shell", next);
  assert.deepEqual(k.replyTo(next)!.content, { status: "ok", execution_count: 1, user_expressions: {}, payload: [] });
});

test("handle malformed requests of every kind: an error reply of the right type naming the field", async () => {
  const k = setup();
  const cases: [string, JsonObject, RegExp][] = [
    ["execute_request", { code: 42 }, /content\.code must be a string, got a number/],
    ["execute_request", { code: "1", silent: "no" }, /content\.silent must be a boolean/],
    ["complete_request", { cursor_pos: 1 }, /content\.code is missing/],
    ["complete_request", { code: "x", cursor_pos: "1" }, /content\.cursor_pos must be a non-negative integer/],
    ["inspect_request", { code: ["x"] }, /content\.code must be a string, got an array/],
    ["is_complete_request", {}, /content\.code is missing/],
    ["history_request", { hist_access_type: 3 }, /content\.hist_access_type must be one of/],
    ["comm_info_request", { target_name: {} }, /content\.target_name must be a string/],
    ["shutdown_request", { restart: 1 }, /content\.restart must be a boolean/],
  ];
  for (const [type, content, evalue] of cases) {
    const req = k.request(type, content);
    await k.handler.handle(type === "shutdown_request" ? "control" : "shell", req);
    const r = k.replyTo(req);
    assert.equal(r?.header.msg_type, type.replace(/_request$/, "_reply"), type);
    const c = r!.content as { status: string; ename: string; evalue: string };
    assert.equal(c.status, "error", type);
    assert.equal(c.ename, "InvalidRequest", type);
    assert.match(c.evalue, new RegExp(`^${type}: `), type);
    assert.match(c.evalue, evalue, type);
  }
  assert.ok(!k.events.some((e) => e.startsWith("shutdown:")), "a malformed shutdown_request shuts nothing down");
  assert.deepEqual(k.labels, [], "no cell ran");
});

test("handle malformed comm messages: logged, no reply; a comm_open with an id is closed again", async () => {
  const k = setup();
  const opened: string[] = [];
  k.comms.registerTarget("echo", (comm) => void opened.push(comm.id));
  const bad = [
    k.request("comm_open", { comm_id: "c1", target_name: 7, data: {} }),
    k.request("comm_msg", { data: {} }),
    k.request("comm_close", { comm_id: "c1", data: [] }),
  ];
  for (const m of bad) await k.handler.handle("shell", m);
  for (const m of bad) assert.equal(k.replyTo(m), undefined, `${m.header.msg_type} has no reply`);
  const closes = k.sent.filter((s) => s.msg.header.msg_type === "comm_close").map((s) => s.msg.content);
  assert.deepEqual(closes, [{ comm_id: "c1", data: {} }]);
  assert.deepEqual(opened, []);
  assert.equal(k.events.filter((e) => e.startsWith("log:shell: invalid comm_")).length, 3);
});

test("handle: null optional fields count as absent (cursor at the end, all comms)", async () => {
  const k = setup();
  const c = k.request("complete_request", { code: "x.toF", cursor_pos: null });
  await k.handler.handle("shell", c);
  assert.deepEqual(k.replyTo(c)!.content, { status: "ok", matches: ["toFixed"], cursor_start: 2, cursor_end: 5, metadata: {} });
  const i = k.request("comm_info_request", { target_name: null });
  await k.handler.handle("shell", i);
  assert.deepEqual(k.replyTo(i)!.content, { status: "ok", comms: {} });
});

test("handle: a handler that throws still gets an error reply", async () => {
  const k = setup();
  const req = k.request("is_complete_request", { code: "throw" });
  await k.handler.handle("shell", req);
  assert.deepEqual(k.replyTo(req)!.content, { status: "error", ename: "TypeError", evalue: "is_complete_request failed: the checker broke", traceback: [] });
  assert.deepEqual(k.iopub(req), ["status", "status"]);
});

test("handle: any content for any message type is answered once (or not at all for comms), never thrown", async () => {
  const types = ["kernel_info_request", "execute_request", "complete_request", "inspect_request", "is_complete_request", "history_request", "comm_info_request", "comm_open", "comm_msg", "comm_close"];
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...types),
      fc.dictionary(fc.constantFrom("code", "cursor_pos", "silent", "stop_on_error", "comm_id", "target_name", "data", "hist_access_type"), fc.jsonValue({ maxDepth: 2 })),
      async (type, content) => {
        const k = setup();
        const req = k.request(type, content);
        await k.handler.handle("shell", req);
        const replies = k.sent.filter((s) => s.channel === "shell" && s.msg.parent_header.msg_id === req.header.msg_id);
        assert.equal(replies.length, type.startsWith("comm_") && type !== "comm_info_request" ? 0 : 1);
        assert.deepEqual(k.iopub(req).filter((t) => t === "status"), ["status", "status"]);
        assert.ok(!k.events.some((e) => / failed: /.test(e)), k.events.join("\n"));
      },
    ),
    { numRuns: 300 },
  );
});

test("codePointsToUtf16 / utf16ToCodePoints: astral characters count once", () => {
  const s = "😀x";
  assert.equal(codePointsToUtf16(s, 1), 2);
  assert.equal(utf16ToCodePoints(s, 3), 2);
});
