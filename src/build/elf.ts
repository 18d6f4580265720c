// Format: ELF (System V ABI, "Executable and Linkable Format"), see elf(5). Only the file header,
// the section header table and the section-name string table (e_shstrndx) are read.
import { open, type FileHandle } from "node:fs/promises";

/** Largest section-name string table we are willing to read (real ones are a few KB). */
const MAX_SHSTRTAB = 16 * 1024 * 1024;
/** Largest section count we accept (extended numbering allows more, real files have < 100k). */
const MAX_SECTIONS = 1_000_000;
const SHN_XINDEX = 0xffff;

/** The layout of one ELF class (32- or 64-bit) in one byte order. */
interface Layout {
  readonly bits: 32 | 64;
  readonly little: boolean;
  /** Offsets in the file header. */
  readonly shoff: number;
  readonly shentsize: number;
  readonly shnum: number;
  readonly shstrndx: number;
  /** Size of a section header and offsets of its fields. */
  readonly shdrSize: number;
  readonly shName: number;
  readonly shOffset: number;
  readonly shSize: number;
  readonly shLink: number;
}

const layout = (bits: 32 | 64, little: boolean): Layout =>
  bits === 64
    ? { bits, little, shoff: 0x28, shentsize: 0x3a, shnum: 0x3c, shstrndx: 0x3e, shdrSize: 64, shName: 0, shOffset: 24, shSize: 32, shLink: 40 }
    : { bits, little, shoff: 0x20, shentsize: 0x2e, shnum: 0x30, shstrndx: 0x32, shdrSize: 40, shName: 0, shOffset: 16, shSize: 20, shLink: 24 };

/** Reads an unsigned word (2, 4 or 8 bytes) as a number; 8-byte values beyond 2^53 are rejected. */
function word(buf: Buffer, at: number, size: 2 | 4 | 8, little: boolean, file: string): number {
  if (size === 2) return little ? buf.readUInt16LE(at) : buf.readUInt16BE(at);
  if (size === 4) return little ? buf.readUInt32LE(at) : buf.readUInt32BE(at);
  const v = little ? buf.readBigUInt64LE(at) : buf.readBigUInt64BE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(file, `offset or size ${v} is out of range`);
  return Number(v);
}

const corrupt = (file: string, what: string) =>
  new Error(`flamebook: ${file} looks like a corrupt or truncated ELF file: ${what}. Rebuild it (e.g. cargo build).`);

/** Reads exactly `length` bytes at `position`, or fails naming the file. */
async function readAt(fh: FileHandle, file: string, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead === 0) throw corrupt(file, `it ends before byte ${position + length}`);
    done += bytesRead;
  }
  return buf;
}

/**
 * Lists the section names of an ELF file (32- or 64-bit, either byte order), in section-table
 * order. Reads only the header, the section header table and the name string table, so it is
 * cheap on large binaries. A file that is not ELF is a clear error naming it.
 *
 * @example
 * const names = await elfSections("target/profiling/wordfreq");
 * names.includes(".debug_info"); // true when built with debug info
 * names.includes(".symtab");     // false when stripped
 */
export async function elfSections(path: string): Promise<string[]> {
  let fh: FileHandle;
  try {
    fh = await open(path, "r");
  } catch (e) {
    throw new Error(`flamebook: cannot open ${path} to read its ELF sections: ${(e as Error).message}. Check the path.`);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw notElf(path, "it is not a regular file");
    const size = st.size;
    if (size < 0x34) throw notElf(path, `it is only ${size} bytes long`);
    const head = await readAt(fh, path, 0, Math.min(size, 0x40));
    if (head[0] !== 0x7f || head[1] !== 0x45 || head[2] !== 0x4c || head[3] !== 0x46) {
      throw notElf(path, "it does not start with the ELF magic bytes 7f 45 4c 46");
    }
    const cls = head[4];
    const data = head[5];
    if ((cls !== 1 && cls !== 2) || (data !== 1 && data !== 2)) {
      throw corrupt(path, `unknown ELF class ${cls} or data encoding ${data}`);
    }
    const L = layout(cls === 2 ? 64 : 32, data === 1);
    if (L.bits === 64 && head.length < 0x40) throw corrupt(path, "the 64-bit header is truncated");
    const addr = L.bits === 64 ? 8 : 4;

    const shoff = word(head, L.shoff, addr, L.little, path);
    const shentsize = word(head, L.shentsize, 2, L.little, path);
    let shnum = word(head, L.shnum, 2, L.little, path);
    let shstrndx = word(head, L.shstrndx, 2, L.little, path);
    if (shoff === 0) return []; // no section header table at all
    if (shentsize < L.shdrSize) throw corrupt(path, `section header size ${shentsize} < ${L.shdrSize}`);

    // Extended numbering: section 0 holds the real count (sh_size) and string-table index (sh_link).
    if (shnum === 0 || shstrndx === SHN_XINDEX) {
      const first = await readAt(fh, path, shoff, L.shdrSize);
      if (shnum === 0) shnum = word(first, L.shSize, addr, L.little, path);
      if (shstrndx === SHN_XINDEX) shstrndx = word(first, L.shLink, 4, L.little, path);
    }
    if (shnum > MAX_SECTIONS) throw corrupt(path, `it claims ${shnum} sections`);
    if (shoff + shnum * shentsize > size) throw corrupt(path, "the section header table lies beyond the end of the file");
    if (shnum === 0) return [];
    if (shstrndx >= shnum) throw corrupt(path, `section-name table index ${shstrndx} >= section count ${shnum}`);

    const table = await readAt(fh, path, shoff, shnum * shentsize);
    const strBase = shstrndx * shentsize;
    const strOff = word(table, strBase + L.shOffset, addr, L.little, path);
    const strSize = word(table, strBase + L.shSize, addr, L.little, path);
    if (strSize > MAX_SHSTRTAB) throw corrupt(path, `the section-name table is ${strSize} bytes`);
    if (strOff + strSize > size) throw corrupt(path, "the section-name table lies beyond the end of the file");
    const strtab = await readAt(fh, path, strOff, strSize);

    const names: string[] = [];
    for (let i = 0; i < shnum; i++) {
      const at = word(table, i * shentsize + L.shName, 4, L.little, path);
      if (at >= strtab.length) {
        names.push(i === 0 ? "" : `<bad name offset ${at}>`);
        continue;
      }
      const end = strtab.indexOf(0, at);
      names.push(strtab.toString("latin1", at, end === -1 ? strtab.length : end));
    }
    return names;
  } finally {
    await fh.close();
  }
}

function notElf(file: string, why: string): Error {
  return new Error(
    `flamebook: ${file} is not an ELF file (${why}). Pass the executable built by cargo (e.g. target/profiling/<name>), not a script or a directory.`,
  );
}
