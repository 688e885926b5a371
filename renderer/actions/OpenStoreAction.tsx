/** Key Database File → Open: a path and the password, or "use the stash file". */
import { useState, type FormEvent } from 'react';
import { useAppState } from '../app-state';

export function OpenStoreAction() {
  const openStore = useAppState((s) => s.openStore);
  const busy = useAppState((s) => s.busy);
  const [path, setPath] = useState('');
  const [password, setPassword] = useState('');
  const [stashed, setStashed] = useState(false);

  function submit(event: FormEvent) {
    event.preventDefault();
    void openStore(path.trim(), stashed ? { stashed: true } : { password });
    setPassword('');
  }

  return (
    <form className="open-store" onSubmit={submit} aria-label="Open key database">
      <label>
        Key database file
        <input name="path" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/var/mqm/qmgrs/QM1/ssl/key.kdb" required />
      </label>
      <label>
        Password
        <input name="password" type="password" value={password} disabled={stashed} onChange={(e) => setPassword(e.target.value)} autoComplete="off" />
      </label>
      <label className="inline">
        <input type="checkbox" checked={stashed} onChange={(e) => setStashed(e.target.checked)} />
        Use the stash file (.sth)
      </label>
      <button type="submit" disabled={busy || path.trim() === ''}>
        Open
      </button>
    </form>
  );
}
