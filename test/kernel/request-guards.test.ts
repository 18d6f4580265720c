import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { isRequestType, REPLY_TYPES, type RequestType } from "../../kernel/messages.js";
import { checkRequest } from "../../kernel/request-guards.js";
import type { JsonObject } from "../../kernel/wire.js";

const TYPES = Object.keys(REPLY_TYPES) as RequestType[];

test("REPLY_TYPES: every *_request is answered by its *_reply; comm messages by nothing", () => {
  for (const t of TYPES) assert.equal(REPLY_TYPES[t], t.endsWith("_request") ? t.replace(/_request$/, "_reply") : undefined, t);
  assert.ok(isRequestType("execute_request"));
  assert.ok(!isRequestType("debug_request"));
  assert.ok(!isRequestType("toString"), "inherited keys are not message types");
});

test("checkRequest: what jupyter_client sends passes, keeping only the fields the kernel reads", () => {
  const exec = checkRequest("execute_request", { code: "1", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true, extra: 1 });
  assert.deepEqual(exec, { ok: true, value: { code: "1", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true } });
  assert.deepEqual(checkRequest("complete_request", { code: "x.a", cursor_pos: 3 }), { ok: true, value: { code: "x.a", cursor_pos: 3 } });
  assert.deepEqual(checkRequest("inspect_request", { code: "x", cursor_pos: 1, detail_level: 0 }), { ok: true, value: { code: "x", cursor_pos: 1, detail_level: 0 } });
  assert.deepEqual(checkRequest("history_request", { raw: true, output: false, hist_access_type: "range", session: -1, start: 1, stop: 3 }).ok, true);
  assert.deepEqual(checkRequest("comm_info_request", {}), { ok: true, value: {} });
  assert.deepEqual(checkRequest("comm_open", { comm_id: "c", target_name: "t", data: {}, target_module: null }), { ok: true, value: { comm_id: "c", target_name: "t", data: {} } });
  assert.deepEqual(checkRequest("shutdown_request", { restart: true }), { ok: true, value: { restart: true } });
  assert.deepEqual(checkRequest("kernel_info_request", { anything: [1] }), { ok: true, value: {} });
});

test("checkRequest: an optional field that is null counts as absent", () => {
  assert.deepEqual(checkRequest("complete_request", { code: "x", cursor_pos: null }), { ok: true, value: { code: "x" } });
  assert.deepEqual(checkRequest("comm_info_request", { target_name: null }), { ok: true, value: {} });
});

test("checkRequest: a missing or mistyped field is named, with what it must be", () => {
  const cases: [RequestType, JsonObject, string, RegExp][] = [
    ["execute_request", {}, "code", /^content\.code is missing \(expected a string\)$/],
    ["execute_request", { code: null }, "code", /^content\.code must be a string, got null$/],
    ["execute_request", { code: 1 }, "code", /got a number/],
    ["execute_request", { code: "1", silent: "yes" }, "silent", /^content\.silent must be a boolean when given, got a string$/],
    ["execute_request", { code: "1", user_expressions: [] }, "user_expressions", /must be a JSON object when given, got an array/],
    ["complete_request", { code: "x", cursor_pos: "3" }, "cursor_pos", /must be a non-negative integer when given, got a string/],
    ["complete_request", { code: "x", cursor_pos: -1 }, "cursor_pos", /non-negative integer/],
    ["inspect_request", { code: "x", cursor_pos: 1.5 }, "cursor_pos", /non-negative integer/],
    ["is_complete_request", { code: { a: 1 } }, "code", /got an object/],
    ["history_request", { hist_access_type: "all" }, "hist_access_type", /one of "range", "tail", "search"/],
    ["comm_info_request", { target_name: 5 }, "target_name", /must be a string when given/],
    ["comm_open", { comm_id: "c" }, "target_name", /content\.target_name is missing/],
    ["comm_msg", { data: {} }, "comm_id", /content\.comm_id is missing/],
    ["comm_close", { comm_id: "c", data: "x" }, "data", /JSON object/],
    ["shutdown_request", { restart: "true" }, "restart", /must be a boolean when given, got a string/],
  ];
  for (const [type, content, field, error] of cases) {
    const c = checkRequest(type, content);
    assert.equal(c.ok, false, `${type} ${JSON.stringify(content)} should be refused`);
    if (c.ok) continue;
    assert.equal(c.field, field, type);
    assert.match(c.error, error, type);
  }
});

test("checkRequest: any JSON content of any type gives a typed value or a named field, never a throw", () => {
  fc.assert(
    fc.property(fc.constantFrom(...TYPES), fc.dictionary(fc.constantFrom("code", "cursor_pos", "silent", "comm_id", "target_name", "data", "restart", "n", "x"), fc.jsonValue({ maxDepth: 2 })), (type, content) => {
      const c = checkRequest(type, content);
      if (!c.ok) return c.field in content ? c.error.startsWith(`content.${c.field} must be`) : c.error.startsWith(`content.${c.field} is missing`);
      // What passed has the declared types.
      const v = c.value as Record<string, unknown>;
      if ("code" in v) assert.equal(typeof v.code, "string");
      if ("cursor_pos" in v) assert.ok(Number.isSafeInteger(v.cursor_pos) && (v.cursor_pos as number) >= 0);
      for (const k of ["silent", "restart"]) if (k in v) assert.equal(typeof v[k], "boolean");
      if ("data" in v) assert.ok(typeof v.data === "object" && v.data !== null && !Array.isArray(v.data));
      return Object.values(v).every((x) => x !== null && x !== undefined);
    }),
    { numRuns: 2000 },
  );
});
