import { useEffect, useState, useSyncExternalStore } from 'react';
import { Box, useApp } from 'ink';
import { KeypressProvider, useKeymap } from '../keypress.js';
import { GLOBAL } from '../keymaps.js';
import { MIN_COLUMNS, MIN_ROWS, useTerminalSize } from '../terminal-size.js';
import { Footer } from '../components/footer.js';
import { HelpOverlay } from '../components/help-overlay.js';
import { TooSmall } from '../components/too-small.js';
import type { HostLease } from '../../engine/store-port.js';
import { SupervisorWindow } from './supervisor-window.js';

/** What the supervisor's runtime tells the screen besides the engine: who hosts the world now. */
export interface SupervisorHostInfo {
  lease: HostLease | null;
}

/** The runtime's look at the lease, for the screen to follow (runtime/supervisor.ts keeps it). */
export interface LeaseSource {
  current(): SupervisorHostInfo;
  subscribe(fn: () => void): () => void;
}

/** The supervisor's root: help and the size check on top, as the desktop's; q quits at once (nothing to save). */
export function SupervisorApp({ lease }: { lease: LeaseSource }) {
  return (
    <KeypressProvider>
      <Root lease={lease} />
    </KeypressProvider>
  );
}

function Root({ lease }: { lease: LeaseSource }) {
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const [help, setHelp] = useState(false);
  const [quitting, setQuitting] = useState(false);
  const info = useSyncExternalStore(lease.subscribe, lease.current);
  useEffect(() => {
    if (quitting) exit();
  }, [quitting, exit]);
  const quit = () => setQuitting(true);
  useKeymap(GLOBAL, { help: () => setHelp((h) => !h), quit }, { priority: 1000 });
  if (quitting) return null;
  if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
    return <TooSmall columns={columns} rows={rows} />;
  }
  // The live frame never reaches the terminal's last row (Ink would clear and redraw).
  const height = rows - 1;
  return (
    <Box flexDirection="column" width={columns} height={height}>
      <Box flexDirection="column" height={height - 1}>
        {help ? <HelpOverlay onClose={() => setHelp(false)} width={columns} height={height - 1} /> : null}
        <Box display={help ? 'none' : 'flex'} flexDirection="column">
          <SupervisorWindow width={columns} height={height} info={info} onQuit={quit} />
        </Box>
      </Box>
      <Footer width={columns} />
    </Box>
  );
}
