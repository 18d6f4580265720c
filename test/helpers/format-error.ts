import assert from "node:assert/strict";
import { FormatError } from "../../src/model/errors.js";
import type { Profile } from "../../src/model/profile.js";
import { assertValid } from "./valid-profile.js";

/** A JSON input as bytes: a string as it is, anything else written with one value per line (so errors name a line). */
export const jsonBytes = (v: unknown): Buffer => Buffer.from(typeof v === "string" ? v : JSON.stringify(v, null, 2));

/** The FormatError that `run` throws; any other error is rethrown, and no error fails. */
export function formatErrorOf(run: () => unknown): FormatError {
  try {
    run();
  } catch (e) {
    if (e instanceof FormatError) return e;
    throw e;
  }
  return assert.fail("expected a FormatError");
}

/**
 * The property tests' check: `run` gives a valid profile (returned, for further checks) or throws
 * a FormatError (null); any other error fails.
 */
export function validProfileOrFormatError(run: () => Profile): Profile | null {
  let p: Profile;
  try {
    p = run();
  } catch (e) {
    if (e instanceof FormatError) return null;
    throw e;
  }
  assertValid(p, { emptyStacks: true });
  return p;
}
