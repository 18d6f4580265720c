// Format: one entry of DHAT's frame table (`ftbl`), as valgrind's VG_(describe_IP) writes it
// (valgrind 3.15+, dhat/dh_main.c) and as dhat-rs writes it (src/lib.rs, 0.2–0.3):
//   valgrind: `0x10E3A4: wordfreq::process (process.rs:42)`, `0x4C2DB8F: malloc (in /usr/lib/…/vgpreload_dhat-amd64-linux.so)`,
//             `0x4A9B414: ??? (in /usr/lib/libc.so.6)`, `0x4A9B414: ???`;
//   dhat-rs:  `0x10c1e4108: alloc::raw_vec::RawVec<T,A>::allocate_in (raw_vec.rs:186:45)`, `0x10c1e4108: ??? (???:0:0)`;
//   and the special `[root]` (entry 0).

/** One frame-table entry, taken apart. */
export interface DhatFrame {
  /** The instruction address as written (`0x10E3A4`), or "" when there is none. */
  readonly address: string;
  /** The function name; "[unknown]" when DHAT wrote `???`. */
  readonly name: string;
  /** The object file of `(in <object>)` frames, else "". */
  readonly module: string;
  /** The source file of `(<file>:<line>)` frames, else null. */
  readonly file: string | null;
  readonly line: number | null;
}

// `(in <object>)` or `(<file>:<line>)` / `(<file>:<line>:<column>)` at the end; neither part holds " (".
const LOCATION = / \((?:in ((?:(?! \().)+)|((?:(?! \().)+?):(\d+)(?::\d+)?)\)$/s;
const ADDRESS = /^(0x[0-9A-Fa-f]+): /;

/**
 * Takes a DHAT frame-table entry apart: address, function name, and its object file or source
 * file and line. Unknown parts (`???`, dhat-rs's `???:0:0`) become "[unknown]", "" and null; a
 * string of another shape is kept whole as the name, so nothing is lost.
 *
 * @example
 * parseDhatFrame("0x11D614: wordfreq::process::process (process.rs:20)");
 * // { address: "0x11D614", name: "wordfreq::process::process", module: "", file: "process.rs", line: 20 }
 * parseDhatFrame("0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_dhat-amd64-linux.so)").module;
 * // "/usr/libexec/valgrind/vgpreload_dhat-amd64-linux.so"
 */
export function parseDhatFrame(text: string): DhatFrame {
  const a = ADDRESS.exec(text);
  const address = a ? a[1]! : "";
  let rest = a ? text.slice(a[0].length) : text;
  let module = "";
  let file: string | null = null;
  let line: number | null = null;
  const loc = LOCATION.exec(rest);
  if (loc && loc.index > 0) {
    rest = rest.slice(0, loc.index);
    if (loc[1] !== undefined) module = loc[1];
    else if (loc[2] !== "???") {
      file = loc[2]!;
      const n = Number(loc[3]);
      line = Number.isSafeInteger(n) && n > 0 ? n : null;
    }
  }
  const name = rest === "???" || rest === "" ? "[unknown]" : rest;
  return { address, name, module, file, line };
}
