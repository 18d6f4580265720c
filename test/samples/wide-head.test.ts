import assert from "node:assert/strict";
import { test } from "node:test";
import { wideHead } from "../../src/samples/wide-head.js";

const text = (b: Uint8Array | undefined) => Buffer.from(b!).toString("latin1");
/** The rest of `all` after `n` bytes, in chunks of `size`. */
function* chunks(all: string, n: number, size: number): Generator<Uint8Array> {
  const b = Buffer.from(all, "latin1");
  for (let i = n; i < b.length; i += size) yield b.subarray(i, i + size);
}

test("wideHead: the head, the end of the line it cut, and what follows that line", async () => {
  const all = `a;${"x".repeat(1000)};leaf 5\nmain;b 2\nmain;c 3\n`;
  const view = await wideHead(Buffer.from(all.slice(0, 100), "latin1"), chunks(all, 100, 7), { keep: 20 });
  // 100 bytes of head, the cut line's last 20 bytes, then the 18 bytes after it (fewer than 20)
  assert.equal(text(view), `a;${"x".repeat(98)}${"x".repeat(12)};leaf 5\nmain;b 2\nmain;c 3\n`);
});

test("wideHead: a line that ends the input, a head that ended on a line end, and a line past maxLine", async () => {
  const noEnd = `a;${"x".repeat(300)} 9`;
  assert.equal(text(await wideHead(Buffer.from(noEnd.slice(0, 50)), chunks(noEnd, 50, 64), { keep: 10 })), `${noEnd.slice(0, 50)}${noEnd.slice(-10)}`);
  const whole = "main;a 1\n";
  assert.equal(text(await wideHead(Buffer.from(whole), chunks(`${whole}main;b 2\n`, whole.length, 3), { keep: 100 })), `${whole}main;b 2\n`);
  const long = "y".repeat(5000);
  assert.equal(await wideHead(Buffer.from(long.slice(0, 10)), chunks(long, 10, 100), { maxLine: 1000 }), undefined);
});

test("wideHead: the kept end of the cut line starts at an even offset (UTF-16 stays aligned)", async () => {
  const all = Buffer.from(`a;${"x".repeat(400)} 5\nb;c 1\n`, "utf16le");
  const view = (await wideHead(all.subarray(0, 100), [all.subarray(100)], { keep: 31 }))!;
  const tailStart = 100;
  const decoded = Buffer.from(view.subarray(tailStart)).toString("utf16le");
  assert.ok(decoded.startsWith("x") && decoded.includes(" 5\nb;c"), JSON.stringify(decoded));
});
