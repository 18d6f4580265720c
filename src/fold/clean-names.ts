import { cleanRustName, type CleanRustNameOptions } from "../model/rust-names.js";
import type { Profile } from "../model/profile.js";
import { renameFrames } from "./transforms.js";

/**
 * Cleans every Rust frame name (hashes by default; generics and closure numbers on request).
 * Frames whose cleaned names coincide merge, so `Vec<u8>::push` and `Vec<u32>::push` become
 * one `Vec::push` with `{ generics: true }`.
 *
 * @example
 * cleanRustNames(profile, { hashes: true, generics: true, closures: true });
 */
export function cleanRustNames(profile: Profile, opts: CleanRustNameOptions = {}): Profile {
  return renameFrames(profile, (name) => cleanRustName(name, opts));
}
