/**
 * runmqakm's message ids and exit statuses for the refusals scripts test for. KeyDesk
 * still prints its own one line on stderr; the IBM line goes to stdout, where IBM's tool
 * writes it and where scripts look (`… | grep CTGSK | awk '{print $1}'`, cli/testing/
 * REAL-SCRIPTS.md, mqsslsetup.sh menu 14; the Db2 HADR article expects CTGSK3029W).
 *
 * Texts: cli/RUNMQAKM.md §4 (CTGSK2021W seen verbatim in two copies; CTGSK3029W's text up
 * to "with label", as IBM's UrbanCode plug-in matches it). Exit status 23 for a duplicate:
 * mqsslsetup.sh tests `if [ $RC = "23" ]` after `-cert -add` ("Already there. Skip
 * import."), the only number a source shows; other refusals exit 1.
 */
import type { ErrorReason } from '../core/errors';

export interface IbmRefusal {
  line: string;
  exitCode: number;
}

export function ibmRefusal(reason: ErrorReason | undefined, label: string | undefined): IbmRefusal | undefined {
  switch (reason) {
    case 'duplicate-certificate':
      return { line: 'CTGSK2021W A duplicate certificate already exists in the database.', exitCode: 23 };
    case 'duplicate-label':
      // No id for a taken label was found; the exit status is the one scripts test.
      return { line: '', exitCode: 23 };
    case 'label-not-found':
      return { line: `CTGSK3029W The database doesn't contain an entry with label '${label ?? ''}'.`, exitCode: 1 };
    default:
      return undefined;
  }
}
