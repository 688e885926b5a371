/**
 * Menu items whose dialogs come with issue 7. Until then the menu still answers, naming
 * the command line that does the same, so an operator is never left with a dead item.
 */
import type { ShellCommandType } from '../../electron/shell-api';
import { useAppState } from '../app-state';

const commandLine: Partial<Record<ShellCommandType, { name: string; cli: string }>> = {
  'new-store': { name: 'New…', cli: 'keydesk -keydb -create -db key.kdb -pw PASSWORD -type cms -stash' },
  'save-as': { name: 'Save As / Convert…', cli: 'keydesk -keydb -convert -db FILE -stashed -new_db FILE2 -new_pw PASSWORD -new_format pkcs12' },
  'change-password': { name: 'Change Password…', cli: 'keydesk -keydb -changepw -db FILE -stashed -new_pw NEW -stash' },
  'stash-password': { name: 'Stash Password…', cli: 'keydesk -keydb -stashpw -db FILE -pw PASSWORD' },
  'new-self-signed': { name: 'New Self-Signed…', cli: 'keydesk -cert -create -label LABEL -dn "CN=…" -db FILE -stashed' },
  'new-request': { name: 'New Request…', cli: 'keydesk -certreq -create -label LABEL -dn "CN=…" -file req.arm -db FILE -stashed' },
};

export function isNotBuiltYet(type: ShellCommandType): boolean {
  return commandLine[type] !== undefined;
}

export function explainNotBuiltYet(type: ShellCommandType): void {
  const known = commandLine[type];
  if (!known) return;
  useAppState.getState().showMessage({ tone: 'info', text: `${known.name} is not in this window yet. The command line does it today: ${known.cli}` });
}
