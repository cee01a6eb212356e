import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

/** Ink 6 has no size hook; listen to stdout's resize, the one place the size is read. */
export function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}
