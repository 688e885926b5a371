import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { launchParameters } from './launch-parameters';
import { desktopShell, keydesk } from './keydesk-client';
import { runShellCommand } from './shell-commands';
import { installBrowserShortcuts } from './browser-shortcuts';
import { openStoreGivenAtStart, reopenAfterReload } from './actions/OpenStoreAction';
import { TokenProblemPage } from './components/TokenProblemPage';
import type { RecentStores } from '../core/api/contract';
import { useAppState } from './app-state';
import './styles.css';

const loadedKey = 'keydesk-tab-loaded';
/** The sessions this tab holds (ids, nothing secret): a reload resumes these and no other
 * tab's, which stay open on the server for their own pages. */
const openStoresKey = 'keydesk-tab-stores';
const root = createRoot(document.getElementById('root')!);
const render = (page: ReactNode) => root.render(<StrictMode>{page}</StrictMode>);

async function start(): Promise<void> {
  if (desktopShell) {
    // Subscribed before the first render: the main process hands over files from the
    // command line as soon as the page has loaded.
    desktopShell.onCommand(runShellCommand);
    render(<App />);
    return;
  }
  installBrowserShortcuts();
  if (!launchParameters.token) return render(<TokenProblemPage problem="missing" />);
  // The first call says whether the token is right, and (after a reload) which stores the
  // page had open. Only a reload resumes: this tab loaded before (sessionStorage lives as
  // long as the tab). A new tab, or one opened with -db, leaves other tabs' stores alone.
  const reloaded = sessionStorage.getItem(loadedKey) === '1';
  const heldHere = JSON.parse(sessionStorage.getItem(openStoresKey) ?? '[]') as string[];
  let recent: RecentStores | undefined;
  try {
    recent = await keydesk.recentStores({ resume: reloaded && !launchParameters.storeToOpen, storeIds: heldHere });
    // Marked only once the token is right: a refused address is not a page that held stores.
    sessionStorage.setItem(loadedKey, '1');
  } catch (e) {
    if ((e as { code?: string }).code === 'forbidden') return render(<TokenProblemPage problem={launchParameters.token ? 'wrong' : 'missing'} />);
    // Not answering: the page says so on its first action.
  }
  useAppState.subscribe((state) => sessionStorage.setItem(openStoresKey, JSON.stringify(state.stores.map((s) => s.view.storeId))));
  render(<App />);
  if (launchParameters.storeToOpen) void openStoreGivenAtStart(launchParameters.storeToOpen);
  else if (recent) void reopenAfterReload(recent);
}

void start();
