/**
 * One message in two wordings: the CLI's, which names its flags (-stashed, -cert -add,
 * -version 6), and the window's, which names what the window has (“Use the stash file”,
 * Add…, Save As / Convert…'s version). Core words every message for the CLI, since that is
 * what a script's user reads; where a line names a flag, `worded` gives the window's line as
 * well, and the transports that reach a window (IPC, HTTP: core/api/wire-error.ts) swap it
 * in, in refusals and in the notes, warnings and findings a response carries.
 *
 * Kept by text rather than threaded through every call: a note is often one clause of a
 * longer line (a path before it, another note after), so the swap is of the clause wherever
 * it ends up. Only the latest lines are kept; a line is sent moments after it is made.
 */
const windowWordings = new Map<string, string>();
const kept = 2000;

/** `cli` should be long enough to be found only where it was put: a whole line or clause
 * naming its flag and value ("-size 1024 makes…", "-sig_alg SHA1WithRSA"), never a bare flag. */
export function worded(cli: string, window: string): string {
  if (cli !== window) {
    windowWordings.delete(cli);
    windowWordings.set(cli, window);
    if (windowWordings.size > kept) windowWordings.delete(windowWordings.keys().next().value!);
  }
  return cli;
}

/** A line as the window words it: every clause `worded` knows, swapped for the window's. */
export function inWindowWords(text: string): string {
  let result = text;
  // Newest first: a longer line made from a clause is registered after the clause.
  for (const [cli, window] of [...windowWordings].reverse()) if (result.includes(cli)) result = result.split(cli).join(window);
  return result;
}
