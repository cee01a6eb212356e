import { Text } from './text.js';
import { useActiveKeymaps } from '../keypress.js';
import { footerItems } from '../keymaps.js';
import { useTheme } from '../theme.js';

/** The keys that matter here, from the active keymaps, cut to the width. */
export function Footer({ width }: { width: number }) {
  const maps = useActiveKeymaps(true);
  const theme = useTheme();
  return (
    <Text color={theme.fg('muted')} wrap="truncate">
      {footerItems(maps, width - 1)}
    </Text>
  );
}
