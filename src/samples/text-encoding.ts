// Byte-order marks (Unicode §23.8, "Specials: U+FEFF"): EF BB BF = UTF-8, FF FE = UTF-16LE,
// FE FF = UTF-16BE. Text without a BOM is read as UTF-8. The line feeder decodes UTF-8 only,
// so text importers get UTF-16 files (Windows tools, PowerShell `>` redirection) through here.

/** The text encodings {@link decodeText} tells apart. */
export type TextEncodingName = "utf-8" | "utf-16le" | "utf-16be";

/**
 * The encoding of `bytes` as its byte-order mark says, and the BOM's length (0: no BOM, read as UTF-8).
 *
 * @example
 * textEncodingOf(new Uint8Array([0xff, 0xfe, 0x61, 0x00])); // { encoding: "utf-16le", bom: 2 }
 * textEncodingOf(new TextEncoder().encode("main;work 3"));  // { encoding: "utf-8", bom: 0 }
 */
export function textEncodingOf(bytes: Uint8Array): { encoding: TextEncodingName; bom: number } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: "utf-8", bom: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: "utf-16le", bom: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: "utf-16be", bom: 2 };
  return { encoding: "utf-8", bom: 0 };
}

/**
 * Decodes text bytes by their byte-order mark (UTF-8, UTF-16LE, UTF-16BE; none: UTF-8), without
 * the BOM. Invalid sequences and an odd last byte of UTF-16 become U+FFFD; nothing throws.
 *
 * @example
 * decodeText(new Uint8Array([0xff, 0xfe, 0x61, 0x00, 0x3b, 0x00, 0x62, 0x00])); // "a;b"
 * decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]));                          // "a"
 */
export function decodeText(bytes: Uint8Array): string {
  const { encoding, bom } = textEncodingOf(bytes);
  const body = Buffer.from(bytes.buffer, bytes.byteOffset + bom, bytes.byteLength - bom);
  if (encoding === "utf-8") return body.toString("utf8");
  const even = body.length & ~1;
  let units = body.subarray(0, even);
  if (encoding === "utf-16be") {
    units = Buffer.from(units); // a copy: swap16 works in place
    units.swap16();
  }
  return units.toString("utf16le") + (even < body.length ? "\ufffd" : "");
}
