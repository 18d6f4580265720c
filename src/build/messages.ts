// Format: cargo's JSON messages (`cargo build --message-format=json…`), one JSON object per stdout
// line; https://doc.rust-lang.org/cargo/reference/external-tools.html#json-messages
// Only "compiler-artifact" and "build-finished" are read; other reasons are ignored.

/** The part of a "compiler-artifact" message flamebook uses. */
export interface CargoArtifact {
  readonly packageId: string;
  /** Target kinds, e.g. ["bin"], ["example"], ["lib"], ["custom-build"]. */
  readonly kinds: readonly string[];
  readonly name: string;
  /** The executable produced, or null for libraries and build scripts. */
  readonly executable: string | null;
  /** The effective optimisation level of this unit ("0", "1", "2", "3", "s", "z"). */
  readonly optLevel: string | null;
  readonly fresh: boolean;
}

/** One cargo JSON message flamebook cares about. */
export type CargoMessage =
  | { readonly reason: "compiler-artifact"; readonly artifact: CargoArtifact }
  | { readonly reason: "build-finished"; readonly success: boolean };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Parses one stdout line of cargo's JSON message stream; returns null for lines that are not
 * JSON or carry a message flamebook does not use.
 *
 * @example
 * parseCargoMessage('{"reason":"build-finished","success":true}'); // { reason: "build-finished", success: true }
 */
export function parseCargoMessage(line: string): CargoMessage | null {
  if (!line.startsWith("{")) return null;
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (!isObject(v)) return null;
  if (v.reason === "build-finished") return { reason: "build-finished", success: v.success === true };
  if (v.reason !== "compiler-artifact" || !isObject(v.target)) return null;
  const t = v.target;
  const kinds = Array.isArray(t.kind) ? t.kind.filter((k): k is string => typeof k === "string") : [];
  const profile = isObject(v.profile) ? v.profile : {};
  return {
    reason: "compiler-artifact",
    artifact: {
      packageId: typeof v.package_id === "string" ? v.package_id : "",
      kinds,
      name: typeof t.name === "string" ? t.name : "",
      executable: typeof v.executable === "string" ? v.executable : null,
      optLevel: typeof profile.opt_level === "string" ? profile.opt_level : null,
      fresh: v.fresh === true,
    },
  };
}

/** An artifact that is a runnable binary or example. */
export type ExecutableArtifact = CargoArtifact & { readonly executable: string; readonly kind: "bin" | "example" };

/**
 * Picks the executable artifact for the requested target from a build's artifacts. With no
 * target requested, the build must have produced exactly one binary; otherwise the error lists
 * them and says to pass `{ bin }`.
 *
 * @example
 * const a = pickExecutable(artifacts, { kind: "bin", name: "wordfreq" }, "/work/crate");
 * a.executable; // "/work/crate/target/profiling/wordfreq"
 */
export function pickExecutable(
  artifacts: readonly CargoArtifact[],
  wanted: { kind: "bin" | "example"; name: string } | undefined,
  crateDir: string,
): ExecutableArtifact {
  const exes = artifacts.flatMap((a): ExecutableArtifact[] => {
    if (a.executable === null) return [];
    const kind = a.kinds.includes("bin") ? "bin" : a.kinds.includes("example") ? "example" : null;
    return kind ? [{ ...a, executable: a.executable, kind }] : [];
  });
  if (wanted) {
    const hit = exes.find((a) => a.kind === wanted.kind && a.name === wanted.name);
    if (hit) return hit;
    const got = exes.map((a) => `${a.kind} ${a.name}`).join(", ") || "none";
    throw new Error(
      `flamebook: cargo build in ${crateDir} reported no executable for ${wanted.kind} '${wanted.name}' (executables built: ${got}). ` +
        `Check the target name in Cargo.toml.`,
    );
  }
  const bins = exes.filter((a) => a.kind === "bin");
  const unique = [...new Map(bins.map((a) => [a.executable, a])).values()];
  if (unique.length === 1) return unique[0];
  if (unique.length === 0) {
    throw new Error(
      `flamebook: cargo build in ${crateDir} produced no binary (a library-only crate?). ` +
        `Pass { bin: "name" } for a binary or { example: "name" } for an example.`,
    );
  }
  const names = unique.map((a) => a.name).sort();
  throw new Error(
    `flamebook: the crate in ${crateDir} has ${names.length} binaries (${names.join(", ")}); ` +
      `say which one to profile, e.g. cargo.build(dir, { bin: "${names[0]}" }).`,
  );
}
