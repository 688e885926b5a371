/**
 * Examine…: the app bar's button and File → Examine Certificate File… (and Examine Clipboard…), with or without a store
 * open. Starts beside the store shown, where an operator keeps what the CA sent.
 */
import { activeStore } from '../app-state';
import { showDialog } from '../dialog-stack';
import { folderOf } from '../paths';
import { ExamineCertificateDialog } from './ExamineCertificateDialog';

/** `source`: File → Examine Clipboard… starts at the pasted-text box. */
export function examineCertificate(source: 'file' | 'text' = 'file'): void {
  const store = activeStore();
  const folder = store ? folderOf(store.view.path) : undefined;
  showDialog((close) => <ExamineCertificateDialog onClose={close} defaultFolder={folder} source={source} />);
}

export function ExamineCertificateButton() {
  return (
    <button type="button" className="secondary" onClick={() => examineCertificate()} title="Examine a certificate file or pasted PEM without importing it">
      Examine…
    </button>
  );
}
