import { createContext, useContext } from 'react';

/**
 * Semantic colour tokens. In NO_COLOR (or FORCE_COLOR=0) every token is empty and the screens
 * still read correctly: each state also has a glyph or a word, never colour alone.
 */
export type Token =
  | 'accent'
  | 'muted'
  | 'status.ready'
  | 'status.notReady'
  | 'status.acw'
  | 'warning'
  | 'error'
  | 'success'
  | 'unread'
  | 'slot.available'
  | 'slot.unavailable'
  | 'focus';

export interface Theme {
  color: boolean;
  fg(token: Token): string | undefined;
  bg(token: Token): string | undefined;
}

const FG: Record<Token, string> = {
  accent: 'cyan',
  muted: 'gray',
  'status.ready': 'green',
  'status.notReady': 'red',
  'status.acw': 'yellow',
  warning: 'yellow',
  error: 'red',
  success: 'green',
  unread: 'yellow',
  'slot.available': 'whiteBright',
  'slot.unavailable': 'black',
  focus: 'cyan',
};

const BG: Partial<Record<Token, string>> = {
  'slot.available': 'blue',
  'slot.unavailable': 'gray',
};

export function makeTheme(color: boolean): Theme {
  return {
    color,
    fg: (t) => (color ? FG[t] : undefined),
    bg: (t) => (color ? BG[t] : undefined),
  };
}

/** NO_COLOR (any non-empty value, per no-color.org) or FORCE_COLOR=0 turn colour off. */
export function colorWanted(env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false') return false;
  return true;
}

const ThemeContext = createContext<Theme>(makeTheme(true));
export const ThemeProvider = ThemeContext.Provider;
export const useTheme = () => useContext(ThemeContext);
