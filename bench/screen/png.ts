// A small PNG reader for the screencast frames Chromium sends (8-bit RGB or RGBA, not
// interlaced): enough to count pixels by colour. Not a general decoder.
import { inflateSync } from "node:zlib";

/** Decoded pixels: `width × height`, 4 bytes (RGBA) per pixel. */
export interface Pixels {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

/**
 * Decodes an 8-bit, non-interlaced RGB/RGBA PNG (PNG spec, sections 5–9: chunks, zlib data,
 * per-line filters 0–4) into RGBA; throws on anything else.
 *
 * @example
 * const { width, height, rgba } = decodePng(Buffer.from(frame.data, "base64"));
 */
export function decodePng(buf: Uint8Array): Pixels {
  if (!SIGNATURE.every((b, i) => buf[i] === b)) throw new Error("png: not a PNG file");
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let width = 0;
  let height = 0;
  let colorType = -1;
  const idat: Uint8Array[] = [];
  for (let at = 8; at + 8 <= buf.length; ) {
    const len = view.getUint32(at);
    const type = String.fromCharCode(buf[at + 4]!, buf[at + 5]!, buf[at + 6]!, buf[at + 7]!);
    const body = buf.subarray(at + 8, at + 8 + len);
    if (type === "IHDR") {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      const depth = body[8]!;
      colorType = body[9]!;
      if (depth !== 8 || (colorType !== 2 && colorType !== 6) || body[12] !== 0) throw new Error(`png: unsupported (depth ${depth}, colour type ${colorType}, interlace ${body[12]})`);
    } else if (type === "IDAT") idat.push(body);
    else if (type === "IEND") break;
    at += 12 + len;
  }
  const bpp = colorType === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = new Uint8Array(width * height * 4);
  let prev = new Uint8Array(stride);
  let cur = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const base = y * (stride + 1);
    const filter = raw[base]!;
    for (let i = 0; i < stride; i++) {
      const x = raw[base + 1 + i]!;
      const a = i >= bpp ? cur[i - bpp]! : 0;
      const b = prev[i]!;
      const c = i >= bpp ? prev[i - bpp]! : 0;
      let v: number;
      switch (filter) {
        case 0:
          v = x;
          break;
        case 1:
          v = x + a;
          break;
        case 2:
          v = x + b;
          break;
        case 3:
          v = x + ((a + b) >> 1);
          break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default:
          throw new Error(`png: bad filter ${filter} on line ${y}`);
      }
      cur[i] = v & 255;
    }
    for (let px = 0; px < width; px++) {
      const o = (y * width + px) * 4;
      out[o] = cur[px * bpp]!;
      out[o + 1] = cur[px * bpp + 1]!;
      out[o + 2] = cur[px * bpp + 2]!;
      out[o + 3] = bpp === 4 ? cur[px * bpp + 3]! : 255;
    }
    [prev, cur] = [cur, prev];
  }
  return { width, height, rgba: out };
}

/**
 * The share (0–1) of pixels in "flame colours": saturated warm-to-any hues, i.e. a chroma
 * (max − min channel) of at least 48 out of 255. Page backgrounds, text, greys and pale UI tints
 * are not; every renderer's frames are (flamebook, speedscope, flamegraph.pl, the control box).
 *
 * @example
 * flameShare(decodePng(png)); // 0.41
 */
export function flameShare(p: Pixels): number {
  const { rgba } = p;
  let n = 0;
  for (let o = 0; o < rgba.length; o += 4) {
    const r = rgba[o]!;
    const g = rgba[o + 1]!;
    const b = rgba[o + 2]!;
    const hi = r > g ? (r > b ? r : b) : g > b ? g : b;
    const lo = r < g ? (r < b ? r : b) : g < b ? g : b;
    if (hi - lo >= 48) n++;
  }
  return n / (p.width * p.height);
}

/**
 * How many pixels differ between two frames of the same size (any channel by more than 8).
 *
 * @example
 * changedPixels(before, after) > 0; // the picture changed
 */
export function changedPixels(a: Pixels, b: Pixels): number {
  if (a.width !== b.width || a.height !== b.height) return a.width * a.height;
  let n = 0;
  for (let o = 0; o < a.rgba.length; o += 4) {
    if (Math.abs(a.rgba[o]! - b.rgba[o]!) > 8 || Math.abs(a.rgba[o + 1]! - b.rgba[o + 1]!) > 8 || Math.abs(a.rgba[o + 2]! - b.rgba[o + 2]!) > 8) n++;
  }
  return n;
}
