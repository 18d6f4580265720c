#!/usr/bin/env node
// Draws the kernelspec logos (kernel/logos/logo-32x32.png, logo-64x64.png, logo-svg.svg): a small
// flame graph, widest at the bottom, in the renderer's warm palette. Run it after changing the
// design (`node scripts/make-logos.mjs`); the outputs are checked in and copied by
// `flamebook kernel install`. Only axis-aligned rectangles, so the PNGs are drawn exactly,
// pixel by pixel, with a hand-rolled PNG writer (zlib from Node; no image library needed).
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";

const out = join(dirname(fileURLToPath(import.meta.url)), "..", "kernel", "logos");

/** Frames on a 64×64 grid: [x, y, width, height, colour]. Rows from the bottom (the root) up. */
const FRAMES = [
  [2, 52, 60, 10, "#b2361f"],
  [2, 41, 38, 10, "#d9542b"],
  [41, 41, 21, 10, "#e0702f"],
  [2, 30, 24, 10, "#ec8a33"],
  [27, 30, 13, 10, "#f0a23a"],
  [41, 30, 14, 10, "#eb7f31"],
  [2, 19, 15, 10, "#f5b445"],
  [27, 19, 9, 10, "#f7c552"],
  [41, 19, 8, 10, "#f3a83f"],
  [2, 8, 8, 10, "#fad766"],
];

function svg() {
  const rects = FRAMES.map(([x, y, w, h, c]) => `  <rect x="${x}" y="${y}" width="${w}" height="${h}" fill="${c}"/>`).join("\n");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">\n${rects}\n</svg>\n`;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** RGBA PNG of the frames at `size`×`size`, each pixel covered by the area fraction (anti-aliased edges). */
function png(size) {
  const scale = size / 64;
  const rgba = new Float64Array(size * size * 4);
  for (const [x, y, w, h, colour] of FRAMES) {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
    const [x0, y0, x1, y1] = [x * scale, y * scale, (x + w) * scale, (y + h) * scale];
    for (let py = Math.floor(y0); py < Math.ceil(y1); py++) {
      for (let px = Math.floor(x0); px < Math.ceil(x1); px++) {
        const cover = (Math.min(px + 1, x1) - Math.max(px, x0)) * (Math.min(py + 1, y1) - Math.max(py, y0));
        const i = (py * size + px) * 4;
        const a = rgba[i + 3];
        // "over" compositing of this frame onto what is there (frames do not overlap; edges do).
        const outA = cover + a * (1 - cover);
        for (const [k, v] of [[0, r], [1, g], [2, b]]) rgba[i + k] = outA ? (v * cover + rgba[i + k] * a * (1 - cover)) / outA : 0;
        rgba[i + 3] = outA;
      }
    }
  }
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size * 4; x++) {
      const v = rgba[y * size * 4 + x];
      raw[y * (size * 4 + 1) + 1 + x] = Math.round((x % 4 === 3 ? v * 255 : v));
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw, { level: 9 })), chunk("IEND", Buffer.alloc(0))]);
}

function write(name, data) {
  const tmp = join(out, `.${name}.tmp`);
  writeFileSync(tmp, data);
  renameSync(tmp, join(out, name));
  console.log(`${name}: ${data.length} bytes`);
}

mkdirSync(out, { recursive: true });
write("logo-32x32.png", png(32));
write("logo-64x64.png", png(64));
write("logo-svg.svg", svg());
