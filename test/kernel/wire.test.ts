import { test } from "node:test";
import assert from "node:assert/strict";
import { createMessage, decode, DELIMITER, encode, sign, verify } from "../../kernel/wire.js";

const key = "0123456789abcdef";
const request = () => {
  const m = createMessage({ msgType: "execute_request", content: { code: "1 + 1" }, session: "s1", identities: [Buffer.from("client-1")] });
  m.buffers = [Buffer.from([1, 2, 3])];
  return m;
};

test("encode/decode: round trip keeps identities, header, content and buffers", () => {
  const m = request();
  const d = decode(encode(m, key), key);
  assert.ok(d.ok);
  assert.deepEqual(d.message.identities.map(String), ["client-1"]);
  assert.equal(d.message.header.msg_type, "execute_request");
  assert.equal(d.message.header.version, "5.3");
  assert.deepEqual(d.message.content, { code: "1 + 1" });
  assert.deepEqual([...d.message.buffers[0]], [1, 2, 3]);
});

test("decode: a tampered content frame is rejected", () => {
  const frames = encode(request(), key);
  const at = frames.findIndex((f) => f.toString() === DELIMITER);
  frames[at + 5] = Buffer.from(JSON.stringify({ code: "process.exit(1)" }));
  const d = decode(frames, key);
  assert.equal(d.ok, false);
  assert.match(!d.ok ? d.error : "", /bad signature/);
});

test("decode: a message signed with another key is rejected", () => {
  assert.equal(decode(encode(request(), "other"), key).ok, false);
});

test("decode: an unsigned message is rejected when a key is set", () => {
  const d = decode(encode(request(), ""), key);
  assert.equal(d.ok, false);
  assert.match(!d.ok ? d.error : "", /unsigned/);
});

test("decode: with an empty key (auth disabled) only empty signatures pass", () => {
  assert.ok(decode(encode(request(), ""), "").ok);
  assert.equal(decode(encode(request(), key), "").ok, false);
});

test("decode: no delimiter or too few frames is a clear error", () => {
  const a = decode([Buffer.from("x")], key);
  assert.match(!a.ok ? a.error : "", /delimiter/);
  const b = decode([Buffer.from(DELIMITER), Buffer.from("sig")], key);
  assert.match(!b.ok ? b.error : "", /at least 5 frames/);
});

test("decode: malformed JSON with a valid signature is rejected, not thrown", () => {
  const signed = [Buffer.from("{"), Buffer.from("{}"), Buffer.from("{}"), Buffer.from("{}")];
  const d = decode([Buffer.from(DELIMITER), Buffer.from(sign(key, signed)), ...signed], key);
  assert.match(!d.ok ? d.error : "", /malformed/);
});

test("verify: odd-length or non-hex signatures are false, not thrown", () => {
  const frames = [Buffer.from("{}")];
  assert.equal(verify(key, "abc", frames), false);
  assert.equal(verify(key, "z".repeat(64), frames), false);
  assert.equal(verify(key, sign(key, frames), frames), true);
});

test("createMessage: a reply carries the parent header and identities", () => {
  const req = request();
  const rep = createMessage({ msgType: "execute_reply", content: { status: "ok" }, parent: req, session: "k" });
  assert.equal(rep.parent_header.msg_id, req.header.msg_id);
  assert.deepEqual(rep.identities, req.identities);
  assert.notEqual(rep.header.msg_id, req.header.msg_id);
});
