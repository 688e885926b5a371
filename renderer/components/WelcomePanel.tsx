/** No store open yet: say what to do, in the order an operator would do it. */
import { useEffect, useState } from 'react';
import type { RecentStore } from '../../core/api/contract';
import { OpenStoreButton, askPasswordAndOpen } from '../actions/OpenStoreAction';
import { ExamineTlsEndpointButton } from '../actions/ExamineTlsEndpointAction';
import { ScanFolderButton } from '../actions/ScanFolderAction';
import { OpenTokenButton } from '../actions/OpenTokenAction';
import { isDesktop, keydesk } from '../keydesk-client';
import { fileNameOf, folderOf } from '../paths';

/** Browser mode's Open Recent: the server keeps the paths (never a password), so a reload
 * or a new tab still has them. The desktop app has File → Open Recent instead. */
function RecentList() {
  const [recent, setRecent] = useState<RecentStore[]>([]);
  useEffect(() => {
    let current = true;
    keydesk.recentStores({}).then(
      (r) => current && setRecent(r.stores),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, []);
  if (recent.length === 0) return null;
  return (
    <section className="recent-stores" aria-labelledby="recent-title">
      <h3 id="recent-title">Recent key databases</h3>
      <ul>
        {recent.map((store) => (
          <li key={store.path}>
            <button type="button" className="secondary recent-store" title={store.path} onClick={() => askPasswordAndOpen(store.path, { readOnly: store.readOnly })}>
              <span className="recent-name">{fileNameOf(store.path)}</span>
              <span className="recent-folder">{folderOf(store.path)}</span>
              <span className="recent-how">
                {store.unlockedWith === 'stash' ? 'stash' : 'password'}
                {store.readOnly ? ', read-only' : ''}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function WelcomePanel() {
  return (
    <section className="welcome" aria-labelledby="welcome-title">
      <h2 id="welcome-title">No key database open</h2>
      <p>
        Open a queue manager’s or client’s key store to see its certificates: a CMS key database (.kdb, with its .sth stash), PKCS#12 (.p12, .pfx), JKS or
        JCEKS.
      </p>
      <div className="welcome-open">
        <OpenStoreButton prominent />
        <OpenTokenButton />
      </div>
      {!isDesktop && <RecentList />}
      <ul className="welcome-hints">
        {isDesktop ? (
          <li>You can also drop a key store on this window, or use File → Open Recent.</li>
        ) : (
          <li>This is browser mode: the files you can open are on the machine running KeyDesk.</li>
        )}
        <li>Several stores can be open at once, one tab each — for example a queue manager’s and a client’s.</li>
        <li className="welcome-scan">
          Many stores to look after? <ScanFolderButton /> checks every key store under a folder at once.
        </li>
        <li>
          Press <kbd>F1</kbd> for keyboard shortcuts.
        </li>
        <li>
          To see what a queue manager’s TLS listener presents and asks for, with or without a store: <ExamineTlsEndpointButton />
        </li>
      </ul>
    </section>
  );
}
