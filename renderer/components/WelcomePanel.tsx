/** No store open yet: say what to do, in the order an operator would do it. */
import { OpenStoreButton } from '../actions/OpenStoreAction';
import { isDesktop } from '../keydesk-client';

export function WelcomePanel() {
  return (
    <section className="welcome" aria-labelledby="welcome-title">
      <h2 id="welcome-title">No key database open</h2>
      <p>
        Open a queue manager’s or client’s key store to see its certificates: a CMS key database (.kdb, with its .sth stash), PKCS#12 (.p12, .pfx), JKS or
        JCEKS.
      </p>
      <OpenStoreButton prominent />
      <ul className="welcome-hints">
        {isDesktop ? (
          <li>You can also drop a key store on this window, or use File → Open Recent.</li>
        ) : (
          <li>This is browser mode: the files you can open are on the machine running KeyDesk.</li>
        )}
        <li>Several stores can be open at once, one tab each — for example a queue manager’s and a client’s.</li>
        <li>
          Press <kbd>F1</kbd> for keyboard shortcuts.
        </li>
      </ul>
    </section>
  );
}
