/**
 * Browser mode has no menu bar, so the page takes the menu's shortcuts it can (a browser
 * keeps Ctrl+W and Ctrl+1…9 for its own tabs). The desktop app leaves this to its menu.
 */
import { isAnyDialogOpen } from './dialog-stack';
import { runShellCommand } from './shell-commands';

export function installBrowserShortcuts(): () => void {
  const onKey = (event: KeyboardEvent) => {
    if (isAnyDialogOpen()) return;
    const mod = event.ctrlKey || event.metaKey;
    if (mod && !event.shiftKey && !event.altKey && event.key.toLowerCase() === 'o') {
      event.preventDefault();
      runShellCommand({ type: 'open-store' });
    } else if (event.key === 'F1') {
      event.preventDefault();
      runShellCommand({ type: 'show-shortcuts' });
    }
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
