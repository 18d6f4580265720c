/** Options of `cargo.build`. Every option documents its default. */
export interface BuildOptions {
  /** The binary target to build (`--bin`). Default: the crate's only binary; an error if it has several. */
  bin?: string;
  /** An example to build instead of a binary (`--example`). Default: none. */
  example?: string;
  /** Cargo features to enable (`--features a,b`). Default: none. */
  features?: string[];
  /** Pass `--no-default-features`. Default: false. */
  noDefaultFeatures?: boolean;
  /**
   * The cargo profile. Default: "profiling" (release + `debug = true` + `lto = false`); when the
   * workspace's Cargo.toml does not define it, it is injected with `--config`, never written to a file.
   * "dev" (alias "debug") and "release" work too, but a dev build gets a warning.
   */
  profile?: string;
  /**
   * Profile settings to change for this build only, e.g. `{ strip: true, debug: false }` or
   * `{ lto: "fat" }`: each becomes one `cargo --config profile.<profile>.<key>=<value>` after the
   * profile injection, so it wins over Cargo.toml, `CARGO_PROFILE_*` variables and the defaults of
   * `profiling`. No file is edited. Builds that would mislead a profile get a warning as usual.
   * Default: none.
   */
  overrides?: ProfileOverrides;
  /** Aborting kills cargo and every rustc under it. Default: none. */
  signal?: AbortSignal;
  /** Called with each line cargo prints on stderr ("Compiling …", diagnostics). Default: none. */
  onProgress?: (line: string) => void;
  /** Extra environment variables for cargo (e.g. CARGO_TARGET_DIR, RUSTFLAGS). Default: none. */
  env?: Record<string, string | undefined>;
  /** Kill the build after this many ms. Default: no timeout. */
  timeoutMs?: number;
}

/**
 * Cargo profile settings that change what a profile looks like
 * (https://doc.rust-lang.org/cargo/reference/profiles.html). Every key is optional; an absent key
 * keeps the profile's own value.
 */
export interface ProfileOverrides {
  /** `opt-level`: 0 is a debug build (flamebook warns), 3 is release. */
  optLevel?: 0 | 1 | 2 | 3 | "s" | "z";
  /** `debug`: DWARF debug info (true = full; "line-tables-only" keeps lines, not variables). */
  debug?: boolean | 0 | 1 | 2 | "none" | "line-tables-only" | "limited" | "full";
  /** `strip`: true or "symbols" removes the symbol table (names become addresses); "debuginfo" removes only DWARF. */
  strip?: boolean | "none" | "debuginfo" | "symbols";
  /** `lto`: true/"fat" or "thin" inline across crates (frames merge); false or "off" does not. */
  lto?: boolean | "fat" | "thin" | "off";
  /** `codegen-units`: 1 lets LLVM inline more within the crate. */
  codegenUnits?: number;
  /** `debug-assertions`. */
  debugAssertions?: boolean;
  /** `overflow-checks`. */
  overflowChecks?: boolean;
}

/** Which target was built. */
export interface BuildTarget {
  readonly kind: "bin" | "example";
  readonly name: string;
}

/** A built executable plus everything needed to say how it was built (provenance). */
export interface BuildResult {
  /**
   * Absolute path of a content-addressed copy of the built executable
   * (`…/flamebook-snapshots/<sha256 prefix>/<name>`): stays valid after later builds.
   */
  readonly exe: string;
  /** Where cargo wrote it (overwritten by the next build of the same crate and profile). */
  readonly cargoExe: string;
  /** SHA-256 of the executable. */
  readonly sha256: string;
  /** Absolute path of the crate directory that was built. */
  readonly crateDir: string;
  readonly target: BuildTarget;
  /** The cargo profile used ("profiling", "release", "dev", …). */
  readonly profile: string;
  /** The `overrides` this build was made with (as given; {} without). */
  readonly overrides: ProfileOverrides;
  /** The features asked for (as given, without duplicates). */
  readonly features: string[];
  /** The full output of `rustc -vV` (version, commit, host, LLVM version). */
  readonly rustcVersion: string;
  /** `git rev-parse HEAD` in the crate directory; null when it is not in a git repository. */
  readonly gitSha: string | null;
  /**
   * Whether what the build reads differs from `gitSha` (a changed tracked file, or a new source
   * file in the crate; see `gitState`); null when it is not in a git repository.
   */
  readonly dirty: boolean | null;
  /** The first few changes that made it dirty (`?? src/new.rs`), when it is. */
  readonly gitChanges?: readonly string[];
  /** Wall-clock time of the whole call, in seconds. */
  readonly durationS: number;
  /** The executable has a `.debug_info` (or `.zdebug_info`) section. */
  readonly debugInfo: boolean;
  /** The executable has a symbol table (`.symtab`), so function names are known. */
  readonly symbols: boolean;
  /** Things that make the profile less trustworthy, each a full sentence starting with "flamebook: ". */
  readonly warnings: string[];
  /** The exact cargo command line (argv, starting with "cargo"). */
  readonly command: string[];
}
