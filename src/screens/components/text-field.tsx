import { Text } from 'ink';
import chalk from 'chalk';
import type { TextFieldState } from './text-field-state.js';
import { useTheme } from '../theme.js';

/**
 * The one place a field's text becomes what is drawn (its value and its placeholder, which may
 * be data too: a contact's zone). Text from data meets the terminal here.
 */
function drawn(text: string): string {
  return text;
}

export interface TextFieldProps extends TextFieldState {
  focused: boolean;
  /** Shown when the value is empty: the current value of the field, or an example. */
  placeholder?: string;
}

/**
 * A one-line text field, drawn: the value, and while the field has the focus the cursor in
 * inverse video (a space after the text when it is at the end), so it reads without colour.
 * Keys reach the field through the router (use-text-field.ts); this view only draws. Inverse
 * comes from chalk, as ink-text-input drew it, so the text stays one virtual text node (the login
 * screen's first frame is one text node).
 */
export function TextField({ value, cursor, focused, placeholder }: TextFieldProps) {
  const theme = useTheme();
  let text = drawn(value);
  if (focused) {
    const atCursor = value.slice(cursor, cursor + ([...value.slice(cursor)][0]?.length ?? 0));
    text = drawn(value.slice(0, cursor)) + chalk.inverse(atCursor ? drawn(atCursor) : ' ') + drawn(value.slice(cursor + atCursor.length));
  }
  return (
    <Text>
      <Text>{text}</Text>
      {!value && placeholder ? <Text color={theme.fg('muted')}>{drawn(placeholder)}</Text> : null}
    </Text>
  );
}
