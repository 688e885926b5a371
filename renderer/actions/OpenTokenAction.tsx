/**
 * File → Open Cryptographic Token… (iKeyman's Key Database File → Open cryptographic
 * token): the PKCS#11 module, the token chosen from the slots the module reports, its PIN,
 * and optionally the CMS database kept beside it for signers (runmqakm's -secondaryDB).
 * The token then opens as a store tab like any file; its changes are made on it at once.
 */
import { useId, useState } from 'react';
import { ModalDialog } from '../components/ModalDialog';
import { useAppState } from '../app-state';
import { showDialog } from '../dialog-stack';
import { keydesk } from '../keydesk-client';
import { tokenPath } from '../../core/tokens/token-uri';
import type { TokenSlot } from '../../core/api/contract';

/** Where SoftHSM2 puts its module on Debian and Ubuntu: a start the user can change. */
const SUGGESTED_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

export function openToken(): void {
  showDialog((close) => <OpenTokenDialog onClose={close} />);
}

export function OpenTokenButton() {
  return (
    <button type="button" className="secondary" onClick={openToken}>
      Open Token…
    </button>
  );
}

function slotText(slot: TokenSlot): string {
  if (!slot.present) return `slot ${slot.slot}: no token in it`;
  if (!slot.initialized) return `slot ${slot.slot}: token not initialized`;
  return `${slot.tokenLabel}${slot.model ? ` — ${slot.model}` : ''}${slot.serial ? `, serial ${slot.serial}` : ''}`;
}

export function OpenTokenDialog({ onClose }: { onClose: () => void }) {
  const openStore = useAppState((s) => s.openStore);
  const [module, setModule] = useState(SUGGESTED_MODULE);
  const [slots, setSlots] = useState<TokenSlot[]>();
  const [label, setLabel] = useState('');
  const [pin, setPin] = useState('');
  const [secondaryDb, setSecondaryDb] = useState('');
  const [secondaryPassword, setSecondaryPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const hintId = useId();

  async function listTokens() {
    setBusy(true);
    setError(undefined);
    try {
      const { slots: found } = await keydesk.listTokens({ module });
      setSlots(found);
      const usable = found.filter((s) => s.present && s.initialized);
      setLabel(usable.length > 0 ? usable[0]!.tokenLabel : '');
      if (usable.length === 0) setError(`${module} reports no initialized token: initialize one with the vendor's tool (softhsm2-util --init-token), then list again.`);
    } catch (e) {
      setSlots(undefined);
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function submit() {
    if (!slots) return void listTokens();
    if (!label) return setError('Choose a token.');
    if (pin === '') return setError("Type the token's user PIN.");
    setBusy(true);
    const secondary = secondaryDb.trim() ? { secondaryDb: secondaryDb.trim(), ...(secondaryPassword ? { secondaryDbPassword: secondaryPassword } : {}) } : {};
    const result = await openStore(tokenPath({ module, tokenLabel: label }), { password: pin, ...secondary }, 'password');
    setBusy(false);
    if (result.ok) return onClose();
    setError(result.message);
    if (result.code === 'wrong-password') setPin('');
  }

  return (
    <ModalDialog
      title="Open Cryptographic Token"
      size="medium"
      onClose={onClose}
      onSubmit={() => void submit()}
      footer={
        <>
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" disabled={busy}>
            {busy ? 'Working…' : slots ? 'Open' : 'List Tokens'}
          </button>
        </>
      }
    >
      <label className="field">
        <span>PKCS#11 module</span>
        <input
          value={module}
          onChange={(e) => {
            setModule(e.target.value);
            setSlots(undefined);
          }}
          spellCheck={false}
          autoFocus
          aria-describedby={hintId}
        />
      </label>
      <p className="hint" id={hintId}>
        The token vendor&apos;s PKCS#11 library on the machine running KeyDesk (a .so, .dylib or .dll).
      </p>
      {slots && (
        <>
          <label className="field">
            <span>Token</span>
            <select value={label} onChange={(e) => setLabel(e.target.value)} aria-label="Token">
              {slots.map((slot) => (
                <option key={slot.slot} value={slot.present && slot.initialized ? slot.tokenLabel : ''} disabled={!(slot.present && slot.initialized)}>
                  {slotText(slot)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>PIN</span>
            <input type="password" value={pin} onChange={(e) => setPin(e.target.value)} autoComplete="off" />
          </label>
          <label className="field">
            <span>Signer database beside the token (optional)</span>
            <input value={secondaryDb} onChange={(e) => setSecondaryDb(e.target.value)} placeholder="/var/mqm/qmgrs/QM1/ssl/key.kdb" spellCheck={false} />
          </label>
          {secondaryDb.trim() !== '' && (
            <label className="field">
              <span>Its password (empty: its stash file)</span>
              <input type="password" value={secondaryPassword} onChange={(e) => setSecondaryPassword(e.target.value)} autoComplete="off" />
            </label>
          )}
          <p className="hint">Keys made on the token stay there: they sign on the token and are never exported.</p>
        </>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </ModalDialog>
  );
}
