/**
 * One base for the errors a user may see, as undici's `core/errors.js` has one: each kind carries a
 * stable `code` (tests and callers tell kinds apart by it, not by the wording) and the exit status
 * it means when it ends a run. The command line maps any of them to one line and that status, in
 * one place (src/cli/main.ts). Messages are ours, one line, and never hold a secret.
 */

/** Exit statuses, as docs/reference.md documents them. */
export const EXIT_OK = 0;
/** Nothing could be read: no target scraped, the server not reached, the address in use. */
export const EXIT_NOTHING_READ = 1;
/** The user wrote something wrong: a flag, a target, a file. */
export const EXIT_USAGE = 2;
/** A snapshot with --fail-on-alert in which an alert fires. */
export const EXIT_ALERT = 3;
/** Anything unforeseen (sysexits' EX_SOFTWARE). */
export const EXIT_INTERNAL = 70;

export abstract class CtError extends Error {
  /** `CT_ERR_` and the kind, such as `CT_ERR_USAGE`. */
  abstract readonly code: string;
  /** The exit status when this error ends the run. */
  abstract readonly exitStatus: number;

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CtError';
  }
}

/** Anything the user wrote wrong: a flag, or a file a flag names. One line, exit status 2. */
export class UsageError extends CtError {
  override readonly name = 'UsageError';
  readonly code: string = 'CT_ERR_USAGE';
  readonly exitStatus: number = EXIT_USAGE;
}

/** Something that could not be read (a server, an endpoint, this machine): exit status 1 if it ends the run. */
export abstract class ReadError extends CtError {
  readonly exitStatus: number = EXIT_NOTHING_READ;
}
