/**
 * The one dialog frame: a native <dialog> shown modally, so focus is trapped, Escape
 * cancels, the rest of the window is inert, and assistive technology announces it by its
 * title. Focus returns to whatever had it before the dialog opened.
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
    // showModal focuses the first control; a dialog may name another (Cancel, where a
    // reflex Enter must not delete anything).
    dialog.querySelector<HTMLElement>('[data-initial-focus]')?.focus();
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
