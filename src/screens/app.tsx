import { useEffect, useState } from 'react';
import { Box, useApp } from 'ink';
import { useEngineState } from './desk-context.js';
import { KeypressProvider, useKeymap } from './keypress.js';
import { GLOBAL } from './keymaps.js';
import { MIN_COLUMNS, MIN_ROWS, useTerminalSize } from './terminal-size.js';
import { Footer } from './components/footer.js';
import { HelpOverlay } from './components/help-overlay.js';
import { ConfirmQuit } from './components/confirm-quit.js';
import { TooSmall } from './components/too-small.js';
import { LoginScreen } from './login.js';
import { MainWindow } from './main/main-window.js';

/** The root: the one place that exits, the size check, help and quit on top of every screen. */
export function App() {
  return (
    <KeypressProvider>
      <Root />
    </KeypressProvider>
  );
}

function Root() {
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const [help, setHelp] = useState(false);
  const [confirmQuit, setConfirmQuit] = useState(false);
  const loggedIn = useEngineState((e) => e.agentId !== null);
  const logoutPending = useEngineState((e) => e.myLogout !== null && !e.myLogout.authorized);
  const persistent = useEngineState((e) => e.store.persistent);
  const askQuit = () => setConfirmQuit(true);
  // Quitting draws an empty last frame first, so the question does not stay on the terminal.
  const [quitting, setQuitting] = useState(false);
  useEffect(() => {
    if (quitting) exit();
  }, [quitting, exit]);
  const quit = () => setQuitting(true);
  // Help and quit come first, above every modal form: they work on every screen.
  useKeymap(GLOBAL, { help: () => setHelp((h) => !h), quit: askQuit }, { priority: 1000, disabled: { help: confirmQuit && 'answer the question first' } });

  if (quitting) return null;

  if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
    return (
      <TooSmall columns={columns} rows={rows}>
        {confirmQuit ? <ConfirmQuit onYes={quit} onNo={() => setConfirmQuit(false)} persistent={persistent} /> : null}
      </TooSmall>
    );
  }

  // The live frame never reaches the terminal's last row (Ink would clear and redraw).
  const height = rows - 1;
  const width = columns;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Box flexDirection="column" height={height - 1}>
        {confirmQuit ? (
          <ConfirmQuit onYes={quit} onNo={() => setConfirmQuit(false)} persistent={persistent} warning={logoutPending ? 'A negotiated logout is in progress: quitting now leaves before it is authorized.' : undefined} />
        ) : null}
        {help && !confirmQuit ? <HelpOverlay onClose={() => setHelp(false)} width={width} height={height - 1} /> : null}
        {/* Screens stay mounted under help and the quit question: their keys stay listed and
            a half-filled form is not lost. */}
        <Box display={help || confirmQuit ? 'none' : 'flex'} flexDirection="column">
          {loggedIn ? <MainWindow width={width} height={height} onQuit={askQuit} /> : <LoginScreen onQuit={askQuit} />}
        </Box>
      </Box>
      <Footer width={width} />
    </Box>
  );
}
