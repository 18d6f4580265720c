// The callgrind importer's format name, its two fixes, and the FormatError every callgrind file makes.
import { FormatError } from "../../model/errors.js";

/** The importer's name, in profiles and in error messages. */
export const FORMAT = "callgrind";

/** The fix for a file that is not callgrind output at all. */
export const FIX = "Is this a callgrind.out file? Make one with `valgrind --tool=callgrind --callgrind-out-file=callgrind.out <program>`; a file cut short (valgrind killed, disk full) cannot be read.";

/** The fix for a file that was cut short. */
export const TRUNCATED_FIX = "The file looks incomplete (valgrind was killed or the file was cut); re-run `valgrind --tool=callgrind --callgrind-out-file=callgrind.out <program>`.";

/**
 * A callgrind FormatError at line `no`: what was expected, the line (or what was found), the fix.
 *
 * @example
 * throw callgrindError(12, "a cost line of numbers", "hello"); // "…callgrind line 12: expected a cost line of numbers, got 'hello'."
 */
export function callgrindError(no: number, expected: string, got: string, fix = FIX): FormatError {
  return new FormatError(FORMAT, no, expected, got, { fix });
}
