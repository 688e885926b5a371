/**
 * The one dialog frame: a native <dialog> shown modally, so focus is trapped, Escape
 * cancels, the rest of the window is inert, and assistive technology announces it by its
 * title. Focus goes to the first field (or the control the dialog names), and returns to
 * whatever had it before the dialog opened. Only the body scrolls: the title and the
 * buttons stay in view on a 768-pixel screen.
 */
import { useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react';

export interface ModalDialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** The button row (OK, Cancel…). */
  footer: ReactNode;
  /** When given, the dialog is a form and Enter submits it. */
  onSubmit?: () => void;
  size?: 'small' | 'medium' | 'large';
  /** An optional line under the title. */
  subtitle?: ReactNode;
}

// Fields one types in or picks from; a checkbox is not where a dialog starts.
const fieldSelector = ['input:not([type])', 'input[type="text"]', 'input[type="password"]', 'input[type="search"]', 'input[type="number"]', 'select', 'textarea']
  .map((f) => `${f}:not(:disabled):not([readonly])`)
  .join(', ');

function firstField(dialog: HTMLDialogElement): HTMLElement | undefined {
  const body = dialog.querySelector('.dialog-body') ?? dialog;
  return [...body.querySelectorAll<HTMLElement>(fieldSelector)].find((field) => field.getClientRects().length > 0);
}

export function ModalDialog({ title, onClose, children, footer, onSubmit, size = 'medium', subtitle }: ModalDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const previouslyFocused = document.activeElement as HTMLElement | null;
    if (!dialog.open) dialog.showModal();
    // showModal focuses the first control, which may be a button or a checkbox above the
    // fields; the user came to type, so the first field takes focus. A dialog may name another control
    // (Cancel, where a reflex Enter must not delete anything).
    // The ring is shown even when a click opened the dialog: the user must see where typing goes.
    const chosen = dialog.querySelector<HTMLElement>('[data-initial-focus]') ?? firstField(dialog);
    const focused = document.activeElement instanceof HTMLElement && dialog.contains(document.activeElement) && document.activeElement !== dialog ? document.activeElement : undefined;
    const target = chosen ?? focused;
    // Focusing the element that already has focus would not show its ring.
    if (target === focused) target?.blur();
    target?.focus({ focusVisible: true } as FocusOptions);
    return () => {
      if (dialog.open) dialog.close();
      previouslyFocused?.focus?.();
    };
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit?.();
  };

  const body = (
    <>
      <header className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        {subtitle && <p className="dialog-subtitle">{subtitle}</p>}
      </header>
      <div className="dialog-body">{children}</div>
      <footer className="dialog-footer">{footer}</footer>
    </>
  );

  return (
    <dialog
      ref={ref}
      className={`modal modal-${size}`}
      aria-labelledby={titleId}
      onCancel={(event) => {
        // Escape: close through our state, not behind React's back.
        event.preventDefault();
        closeRef.current();
      }}
    >
      {onSubmit ? (
        <form className="dialog-frame" onSubmit={submit} noValidate>
          {body}
        </form>
      ) : (
        <div className="dialog-frame">{body}</div>
      )}
    </dialog>
  );
}
