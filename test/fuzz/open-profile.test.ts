// The fuzz set, sniffing: ≥ 100k inputs of every format, mutated, through openProfile (see open-targets.ts).
import { test } from "node:test";
import { fuzzTarget } from "./run-target.js";

const only = process.env.FUZZ_ONLY?.split(",");
if (!only || only.includes("open-profile")) {
  test("fuzz open-profile: sniffing and parsing any bytes gives a profile, a positioned FormatError or 'unknown format'", () => fuzzTarget("open-profile").then(() => undefined));
}
