/**
 * Store-level actions work on the file, so they need its password again: KeyDesk keeps no
 * password after opening. A store opened with its stash uses the stash instead.
 */
import type { Credentials } from '../../core/api/contract';
import type { OpenStore } from '../app-state';
import { TextField } from '../components/FormFields';

export function needsCurrentPassword(store: OpenStore): boolean {
  return store.unlockedWith !== 'stash';
}

export function credentialsOf(store: OpenStore, currentPassword: string): Credentials {
  return needsCurrentPassword(store) ? { password: currentPassword } : { stashed: true };
}

export function currentPasswordError(store: OpenStore, currentPassword: string): string | undefined {
  return needsCurrentPassword(store) && currentPassword === '' ? 'Current password is required' : undefined;
}

export function CurrentPasswordField({ store, value, onChange }: { store: OpenStore; value: string; onChange: (v: string) => void }) {
  if (!needsCurrentPassword(store)) return <p className="hint">The current password is read from the stash file beside the key database.</p>;
  return <TextField label="Current password" type="password" value={value} onChange={onChange} error={currentPasswordError(store, value)} autoFocus />;
}
