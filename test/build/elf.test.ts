import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../src/exec/index.js";
import { elfSections } from "../../src/build/elf.js";

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "flamebook-elf-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Builds a minimal ELF file: header, a section-name table and one header per name (index 0 is the null section). */
function syntheticElf(bits: 32 | 64, little: boolean, names: string[], opts: { extended?: boolean } = {}): Buffer {
  const all = ["", ...names, ".shstrtab"];
  const strtab = Buffer.from(all.map((n) => n + "\0").join(""), "latin1");
  const nameOff: number[] = [];
  let o = 0;
  for (const n of all) {
    nameOff.push(o);
    o += Buffer.byteLength(n, "latin1") + 1;
  }
  const ehsize = bits === 64 ? 64 : 52;
  const shsize = bits === 64 ? 64 : 40;
  const strOff = ehsize;
  const shoff = strOff + strtab.length + ((8 - ((strOff + strtab.length) % 8)) % 8);
  const buf = Buffer.alloc(shoff + shsize * all.length);
  const u16 = (v: number, at: number) => (little ? buf.writeUInt16LE(v, at) : buf.writeUInt16BE(v, at));
  const u32 = (v: number, at: number) => (little ? buf.writeUInt32LE(v, at) : buf.writeUInt32BE(v, at));
  const addr = (v: number, at: number) =>
    bits === 64 ? (little ? buf.writeBigUInt64LE(BigInt(v), at) : buf.writeBigUInt64BE(BigInt(v), at)) : u32(v, at);
  buf.set([0x7f, 0x45, 0x4c, 0x46, bits === 64 ? 2 : 1, little ? 1 : 2, 1], 0);
  u16(2, 16); // ET_EXEC
  const count = all.length;
  const strndx = all.length - 1;
  if (bits === 64) {
    addr(shoff, 0x28);
    u16(shsize, 0x3a);
    u16(opts.extended ? 0 : count, 0x3c);
    u16(opts.extended ? 0xffff : strndx, 0x3e);
  } else {
    addr(shoff, 0x20);
    u16(shsize, 0x2e);
    u16(opts.extended ? 0 : count, 0x30);
    u16(opts.extended ? 0xffff : strndx, 0x32);
  }
  strtab.copy(buf, strOff);
  for (let i = 0; i < count; i++) {
    const h = shoff + i * shsize;
    u32(nameOff[i], h);
    u32(i === 0 ? 0 : 1, h + 4); // SHT_PROGBITS
    if (i === strndx) {
      addr(strOff, h + (bits === 64 ? 24 : 16));
      addr(strtab.length, h + (bits === 64 ? 32 : 20));
    }
  }
  if (opts.extended) {
    addr(count, shoff + (bits === 64 ? 32 : 20)); // sh_size of section 0 = real count
    u32(strndx, shoff + (bits === 64 ? 40 : 24)); // sh_link of section 0 = real shstrndx
  }
  return buf;
}

test("elfSections: a binary built by rustc has .text, .symtab and (with -g) .debug_info", async () => {
  const src = join(dir, "hello.rs");
  const exe = join(dir, "hello");
  await writeFile(src, 'fn main() { println!("hello"); }\n');
  await run("rustc", ["-g", "-C", "opt-level=1", "-o", exe, src], { cwd: dir, timeoutMs: 60_000 });
  const names = await elfSections(exe);
  assert.ok(names.includes(".text"), `no .text in ${names.join(" ")}`);
  assert.ok(names.includes(".symtab"), `no .symtab in ${names.join(" ")}`);
  assert.ok(names.includes(".debug_info"), `no .debug_info in ${names.join(" ")}`);
  assert.equal(names[0], "", "section 0 is the null section");
});

test("elfSections: a stripped binary has no .symtab and no .debug_info", async () => {
  const src = join(dir, "hello.rs");
  const exe = join(dir, "hello-stripped");
  await writeFile(src, 'fn main() { println!("hello"); }\n');
  await run("rustc", ["-C", "strip=symbols", "-o", exe, src], { cwd: dir, timeoutMs: 60_000 });
  const names = await elfSections(exe);
  assert.ok(names.includes(".text"));
  assert.ok(!names.includes(".symtab"), `unexpected .symtab in ${names.join(" ")}`);
  assert.ok(!names.includes(".debug_info"));
});

for (const bits of [32, 64] as const) {
  for (const little of [true, false]) {
    test(`elfSections: reads a synthetic ELF${bits} ${little ? "little" : "big"}-endian file`, async () => {
      const file = join(dir, `synthetic-${bits}-${little ? "le" : "be"}`);
      await writeFile(file, syntheticElf(bits, little, [".text", ".debug_info", ".symtab"]));
      assert.deepEqual(await elfSections(file), ["", ".text", ".debug_info", ".symtab", ".shstrtab"]);
    });
  }
}

test("elfSections: follows extended section numbering (e_shnum = 0, e_shstrndx = SHN_XINDEX)", async () => {
  const file = join(dir, "synthetic-extended");
  await writeFile(file, syntheticElf(64, true, [".text", ".zdebug_info"], { extended: true }));
  assert.deepEqual(await elfSections(file), ["", ".text", ".zdebug_info", ".shstrtab"]);
});

test("elfSections: a non-ELF file is an error naming the file", async () => {
  const file = join(dir, "script.sh");
  await writeFile(file, "#!/bin/sh\necho this is a shell script, not an ELF binary at all\n");
  await assert.rejects(elfSections(file), (e: Error) => {
    assert.match(e.message, /^flamebook: /);
    assert.ok(e.message.includes(file), e.message);
    assert.match(e.message, /not an ELF file/);
    return true;
  });
});

test("elfSections: a truncated ELF file is an error naming the file, not a crash", async () => {
  const file = join(dir, "truncated");
  const whole = syntheticElf(64, true, [".text"]);
  await writeFile(file, whole.subarray(0, whole.length - 10));
  await assert.rejects(elfSections(file), (e: Error) => {
    assert.ok(e.message.includes(file), e.message);
    assert.match(e.message, /corrupt or truncated/);
    return true;
  });
});

test("elfSections: a missing file and a directory are errors naming the path", async () => {
  const missing = join(dir, "does-not-exist");
  await assert.rejects(elfSections(missing), (e: Error) => e.message.includes(missing));
  const sub = join(dir, "a-directory");
  await mkdir(sub);
  await assert.rejects(elfSections(sub), (e: Error) => e.message.includes(sub) && /not an ELF file/.test(e.message));
});
