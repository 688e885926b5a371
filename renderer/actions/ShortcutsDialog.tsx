/** Help → Keyboard Shortcuts: everything can be done without a mouse; this says how. */
import { ModalDialog } from '../components/ModalDialog';
import { showDialog } from '../dialog-stack';
import { isDesktop } from '../keydesk-client';

const mod = navigator.platform.startsWith('Mac') ? '⌘' : 'Ctrl';

function shortcuts(): [string, string][] {
  return [
    [`${mod}+O`, 'Open a key database'],
    ...(isDesktop
      ? ([
          [`${mod}+W`, 'Close the key database shown'],
          [`${mod}+1, ${mod}+2, ${mod}+3`, 'Personal, Signer, Requests pane'],
          [`${mod}+4, ${mod}+5`, 'Doctor, Validity Timeline'],
          [`${mod}+I`, 'View Details of the selected entry'],
          [`${mod}+E`, 'Examine a certificate file or pasted PEM'],
          [`${mod}+=, ${mod}+-, ${mod}+0`, 'Larger text, smaller text, normal size'],
        ] as [string, string][])
      : ([[`${mod}+plus, ${mod}+minus`, 'Larger or smaller text (the browser’s zoom)']] as [string, string][])),
    ['Tab, Shift+Tab', 'Move between the store tabs, panes, filter, actions and table'],
    ['← →', 'Next or previous tab (store tabs and panes)'],
    ['Delete (on a store tab)', 'Close that key database'],
    ['↑ ↓, Page Up/Down, Home, End', 'Move the selection in the table'],
    ['Enter', 'View Details of the selected entry'],
    ['Escape', 'Close a dialog'],
    ['F1', 'This list'],
  ];
}

export function showShortcuts(): void {
  showDialog((close) => (
    <ModalDialog
      title="Keyboard shortcuts"
      size="medium"
      onClose={close}
      footer={
        <button type="button" onClick={close} autoFocus>
          Close
        </button>
      }
    >
      <table className="shortcuts">
        <tbody>
          {shortcuts().map(([keys, what]) => (
            <tr key={keys}>
              <th scope="row">
                <kbd>{keys}</kbd>
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ModalDialog>
  ));
}
