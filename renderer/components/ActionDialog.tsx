/**
 * The frame every action dialog shares: OK and Cancel, OK disabled until the form is
 * valid (with the first reason said beside it, so a disabled button is never a riddle),
 * the API's refusal shown as the one plain line it is, and progress while the server
 * works. The request is asynchronous, so the window keeps painting during a 4096-bit key,
 * and Escape or Cancel while it runs stops waiting for it (see use-action-run).
 */
import { useContext, type ReactNode } from 'react';
import { ModalDialog } from './ModalDialog';
import { DialogIdContext } from '../dialog-stack';
import { cancelRunIn } from '../actions/use-action-run';

export interface ActionDialogProps {
  title: string;
  subtitle?: ReactNode;
  onClose: () => void;
  onSubmit: () => void;
  /** The first thing keeping OK disabled, in words; undefined when the form is complete. */
  problem?: string;
  /** While the operation runs: what it is doing. */
  busy?: string;
  /** The API's refusal. */
  error?: string;
  children: ReactNode;
  size?: 'small' | 'medium' | 'large';
  okText?: string;
  /** Focus Cancel when the dialog opens, whatever controls come first (confirmations). */
  cancelFirst?: boolean;
  /** Said in the status line when nothing runs, before the form's problem (what was just done). */
  status?: ReactNode;
  /** Buttons before Cancel (a result's own actions). */
  extraButtons?: ReactNode;
  /** Close, where the dialog stays open to show results. */
  cancelText?: string;
}

export function ActionDialog({ title, subtitle, onClose, onSubmit, problem, busy, error, children, size = 'medium', okText = 'OK', cancelFirst, status, extraButtons, cancelText = 'Cancel' }: ActionDialogProps) {
  const dialogId = useContext(DialogIdContext);
  const close = () => {
    // Busy with work this dialog cannot stop waiting for (not started by useActionRun): stay.
    if (busy && !cancelRunIn(dialogId)) return;
    onClose();
  };
  return (
    <ModalDialog
      title={title}
      subtitle={subtitle}
      size={size}
      onClose={close}
      onSubmit={() => !problem && !busy && onSubmit()}
      footer={
        <>
          <p className="form-status" role="status">
            {busy ? (
              <span className="busy">
                <progress aria-label={busy} />
                {busy} Escape cancels.
              </span>
            ) : (
              (status ?? (problem && <>To continue: {problem.charAt(0).toLowerCase() + problem.slice(1)}.</>))
            )}
          </p>
          {extraButtons}
          <button type="button" className="secondary" onClick={close} data-initial-focus={cancelFirst || undefined}>
            {cancelText}
          </button>
          <button type="submit" disabled={Boolean(problem) || Boolean(busy)}>
            {okText}
          </button>
        </>
      }
    >
      {children}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </ModalDialog>
  );
}

/** The first problem of a form, in field order. */
export function firstProblem(...problems: (string | undefined)[]): string | undefined {
  return problems.find((p) => p !== undefined && p !== '');
}
