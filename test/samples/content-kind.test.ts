import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { contentKind, hexBytes, isPerfData } from "../../src/samples/content-kind.js";

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p))));
const le104 = [104, 0, 0, 0, 0, 0, 0, 0];

test("isPerfData: PERFILE2 in either byte order and the legacy PERFFILE, followed by the header's size", () => {
  assert.equal(isPerfData(bytes("PERFILE2", le104, "rest")), true);
  assert.equal(isPerfData(bytes("2ELIFREP", [0, 0, 0, 0, 0, 0, 0, 104])), true);
  assert.equal(isPerfData(bytes("PERFFILE", [16, 0, 0, 0, 0, 0, 0, 0])), true);
  assert.equal(isPerfData(bytes("PERFILE2;main 3\n")), false, "text that starts like the magic");
  assert.equal(isPerfData(bytes("PERFILE")), false);
  assert.equal(isPerfData(bytes("main;work 3\n")), false);
});

test("contentKind: images, executables, archives and compressed data by their magic", () => {
  const kinds: [Uint8Array, string][] = [
    [bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), "png"],
    [bytes([0xff, 0xd8, 0xff, 0xdb]), "jpeg"],
    [bytes("GIF87a", [1, 0]), "gif"],
    [bytes("RIFF", [0, 0, 0, 0], "WEBPVP8L"), "webp"],
    [bytes("%PDF-1.7\n"), "pdf"],
    [readFileSync("/bin/true").subarray(0, 64), "elf"],
    [bytes([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1]), "mach-o"],
    [bytes("MZ", [0x90, 0, 3, 0, 0, 0]), "pe"],
    [bytes("PK", [3, 4]), "zip"],
    [bytes("PK", [5, 6]), "zip"],
    [bytes("a.txt", new Array(252).fill(0), "ustar"), "tar"],
    [bytes([0x28, 0xb5, 0x2f, 0xfd]), "zstd"],
    [bytes([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), "xz"],
    [bytes("BZh9", [0x31, 0x41, 0x59, 0x26, 0x53, 0x59, 0, 0x80]), "bzip2"],
    [bytes("PERFILE2", le104), "perf.data"],
  ];
  for (const [b, name] of kinds) assert.equal(contentKind(b)?.name, name, name);
  // short magic that text may start with is not enough on its own
  assert.equal(contentKind(bytes("MZ is a fine start for text\n")), undefined);
  assert.equal(contentKind(bytes("BZh;main 3\n")), undefined);
});

test("contentKind: SVG and HTML by their first tag, after an XML declaration, doctype or comment", () => {
  assert.equal(contentKind(bytes('<?xml version="1.0" standalone="no"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x">\n<svg version="1.1">'))?.name, "svg");
  assert.equal(contentKind(bytes("\ufeff".replace(/./, "\xef\xbb\xbf"), "<!-- flame -->\n<svg xmlns='x'>"))?.name, "svg");
  assert.equal(contentKind(bytes("<!DOCTYPE html>\n<html lang=en>"))?.name, "html");
  assert.equal(contentKind(bytes("<html><body>"))?.name, "html");
  assert.equal(contentKind(bytes("<svgfoo;main 3\n")), undefined);
});

test("contentKind: other binary data (NULs, control bytes, invalid UTF-8) is named by its first bytes; text is not", () => {
  assert.equal(contentKind(bytes([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]))?.what, "binary data (it starts with the bytes 00 01 02 03 04 05 06 07), not text");
  assert.equal(contentKind(bytes(new Array(100).fill(0xc3)))?.name, "binary", "invalid UTF-8");
  assert.equal(contentKind(bytes("main;work 3\n")), undefined);
  assert.equal(contentKind(Buffer.from("main;naïve::写入;🔥 3\n")), undefined, "UTF-8 text");
  assert.equal(contentKind(Buffer.from("main;work 3\nmain;idle 1\n", "utf16le")), undefined, "UTF-16 without a BOM is text");
  assert.equal(contentKind(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("a;b 1\n", "utf16le")])), undefined, "UTF-16 with a BOM is text");
  assert.equal(contentKind(Buffer.from("main;" + "é".repeat(10)).subarray(0, 10)), undefined, "a character cut at the end is not binary");
  assert.equal(contentKind(new Uint8Array(0)), undefined);
});

test("hexBytes: the first n bytes as hex", () => {
  assert.equal(hexBytes(new Uint8Array([0x1f, 0x8b]), 8), "1f 8b");
  assert.equal(hexBytes(new Uint8Array([0, 255, 16]), 2), "00 ff");
});
