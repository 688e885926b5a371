/**
 * Labelled fields for the action dialogs. Each input is named by its visible label (what
 * IBM's documentation calls it), and its problem, in words, is tied to it with
 * aria-describedby so a screen reader reads the reason with the field. A problem shows
 * once the field has been left or holds text: an empty form does not open in red.
 */
import { useId, useState, type ReactNode } from 'react';
import type { FileChoiceRequest } from '../../electron/shell-api';
import { chooseFile } from '../actions/choose-file';

interface FieldFrameProps {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  showError: boolean;
  children: ReactNode;
  className?: string;
}

function FieldFrame({ id, label, hint, error, showError, children, className = '' }: FieldFrameProps) {
  return (
    <div className={`field ${className}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {showError && error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

function describedBy(id: string, hint: unknown, shownError: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : '', shownError ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

export interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: ReactNode;
  type?: 'text' | 'password';
  autoFocus?: boolean;
  placeholder?: string;
  inputMode?: 'numeric' | 'text';
  multiline?: boolean;
  className?: string;
  mono?: boolean;
}

export function TextField({ label, value, onChange, error, hint, type = 'text', autoFocus, placeholder, inputMode, multiline, className, mono }: TextFieldProps) {
  const id = useId();
  const [left, setLeft] = useState(false);
  const showError = Boolean(error) && (left || value !== '');
  const common = {
    id,
    value,
    autoFocus,
    placeholder,
    'aria-invalid': showError || undefined,
    'aria-describedby': describedBy(id, hint, showError),
    onBlur: () => setLeft(true),
    spellCheck: false,
    autoComplete: 'off',
    className: mono ? 'mono' : undefined,
  };
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} showError={showError} className={className}>
      {multiline ? (
        <textarea {...common} rows={2} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...common} type={type} inputMode={inputMode} onChange={(e) => onChange(e.target.value)} />
      )}
    </FieldFrame>
  );
}

export interface SelectFieldProps {
  label: string;
  value: string;
  options: readonly { value: string; text: string }[];
  onChange: (value: string) => void;
  hint?: ReactNode;
  className?: string;
}

export function SelectField({ label, value, options, onChange, hint, className }: SelectFieldProps) {
  const id = useId();
  return (
    <FieldFrame id={id} label={label} hint={hint} showError={false} className={className}>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={describedBy(id, hint, false)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.text}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export interface FileFieldProps {
  value: string;
  onChange: (value: string) => void;
  /** What "Browse…" opens: the native dialog in the desktop app, the server's folders in browser mode. */
  choose: FileChoiceRequest;
  error?: string;
  hint?: ReactNode;
  label?: string;
}

export function FileField({ value, onChange, choose, error, hint, label = 'File' }: FileFieldProps) {
  const id = useId();
  const [left, setLeft] = useState(false);
  const showError = Boolean(error) && (left || value !== '');
  async function browse() {
    const chosen = await chooseFile({ ...choose, defaultPath: value || choose.defaultPath });
    if (chosen) {
      onChange(chosen);
      setLeft(true);
    }
  }
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} showError={showError}>
      <div className="file-field">
        <input
          id={id}
          type="text"
          className="mono"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          onBlur={() => setLeft(true)}
          aria-invalid={showError || undefined}
          aria-describedby={describedBy(id, hint, showError)}
          spellCheck={false}
          autoComplete="off"
        />
        <button type="button" className="secondary" onClick={() => void browse()}>
          Browse…
        </button>
      </div>
    </FieldFrame>
  );
}

export function CheckboxField({ label, checked, onChange, hint }: { label: string; checked: boolean; onChange: (checked: boolean) => void; hint?: ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label className="checkbox" htmlFor={id}>
        <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} aria-describedby={hint ? `${id}-hint` : undefined} />
        {label}
      </label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}

/** "Data type" as iKeyman names the two encodings of a certificate or request file. */
export type DataType = 'ascii' | 'binary';
export const dataTypeOptions = [
  { value: 'ascii', text: 'Base64-encoded ASCII data' },
  { value: 'binary', text: 'Binary DER data' },
] as const;

export function DataTypeField({ value, onChange }: { value: DataType; onChange: (value: DataType) => void }) {
  return (
    <SelectField
      label="Data type"
      value={value}
      options={dataTypeOptions}
      onChange={(v) => onChange(v as DataType)}
      hint={value === 'ascii' ? 'PEM text (.arm), what most CAs and partners expect.' : 'DER bytes (.der), for tools that want binary.'}
    />
  );
}

/** Password and Confirm password, checked against each other. */
export function NewPasswordFields({ password, confirm, onPassword, onConfirm, errors }: {
  password: string;
  confirm: string;
  onPassword: (v: string) => void;
  onConfirm: (v: string) => void;
  errors: { password?: string; confirm?: string };
}) {
  return (
    <div className="field-row">
      <TextField label="Password" type="password" value={password} onChange={onPassword} error={errors.password} />
      <TextField label="Confirm password" type="password" value={confirm} onChange={onConfirm} error={errors.confirm} />
    </div>
  );
}

export function newPasswordErrors(password: string, confirm: string): { password?: string; confirm?: string } {
  return {
    password: password === '' ? 'Password is required' : undefined,
    confirm: confirm !== password ? 'The two passwords are not the same' : undefined,
  };
}
