/** The one line the app has to say: an error as a plain sentence, or a notice. */
import { useAppState } from '../app-state';

export function MessageBar() {
  const message = useAppState((s) => s.message);
  const dismiss = useAppState((s) => s.dismissMessage);
  const inView = useAppState((s) => {
    const shown: readonly (string | undefined)[] = s.sideBySide ?? [s.activeStoreId];
    return shown.includes(message?.storeId);
  });
  if (!message || (message.storeId !== undefined && !inView)) return null;
  return (
    <div className={`message ${message.tone}`} role={message.tone === 'error' ? 'alert' : 'status'}>
      <span className="message-icon" aria-hidden="true">
        {message.tone === 'error' ? '✕' : 'ℹ'}
      </span>
      <p>{message.text}</p>
      <button type="button" className="secondary" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}
