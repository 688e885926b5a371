import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { launchParameters } from './launch-parameters';
import { desktopShell } from './keydesk-client';
import { runShellCommand } from './shell-commands';
import { installBrowserShortcuts } from './browser-shortcuts';
import { openStoreGivenAtStart } from './actions/OpenStoreAction';
import './styles.css';

// Subscribed before the first render: the main process hands over files from the
// command line as soon as the page has loaded.
if (desktopShell) desktopShell.onCommand(runShellCommand);
else installBrowserShortcuts();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

if (launchParameters.storeToOpen) void openStoreGivenAtStart(launchParameters.storeToOpen);
