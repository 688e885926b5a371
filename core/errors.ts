/**
 * Errors a user can act on. `message` is the one plain line the CLI prints and the UI
 * shows: what failed, which file, what to do. Anything else thrown is a bug and is
 * reported as such (with the stack only under KEYDESK_DEBUG=1).
 */
export type ErrorCode =
  | 'usage' // the command line or request is malformed
  | 'file-not-found'
  | 'wrong-password'
  | 'not-a-keystore' // the bytes are not any store format we read
  | 'damaged' // the right format, but truncated or corrupt
  | 'stash-mismatch' // a stash file that does not open its database
  | 'not-found' // no entry with that label
  | 'conflict' // a label already used, a file changed on disk, ...
  | 'unsupported' // understood, but this operation cannot be done on it
  | 'io'; // the operating system refused a read or write

/** A refusal scripts written for IBM's tools recognise by its message id and exit status
 * (the CLI maps these to runmqakm's, see cli/ibm-messages.ts). */
export type ErrorReason =
  | 'duplicate-certificate'
  | 'duplicate-label'
  | 'label-not-found'
  | 'transfer-damaged'
  /** With 'wrong-password': the file's integrity check fails and nothing shows whether the
   * password or the file is at fault (a PKCS#12 whose MAC fails and that nothing decrypts). */
  | 'wrong-password-or-damaged';

export class KeyDeskError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly reason?: ErrorReason,
    /** The same line for the GUI, where a message that names a CLI flag (-stashed, -cert
     * -add) would send the user looking for a field that is not there. Given where the CLI
     * wording names a flag; the GUI transports (IPC, HTTP) send it in place of `message`. */
    readonly gui?: string,
  ) {
    super(message);
    this.name = 'KeyDeskError';
  }
}

export function isKeyDeskError(e: unknown): e is KeyDeskError {
  return e instanceof KeyDeskError;
}
