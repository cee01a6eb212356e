import { Text } from './text.js';
import type { TextFieldState } from './text-field-state.js';
import { useTheme } from '../theme.js';
import { visibleText } from '../../runtime/visible-text.js';

/**
 * The one place a field's text becomes what is drawn (its value and its placeholder, which may
 * be data too: a contact's zone). Text from data meets the terminal here: a control character is
 * drawn as its sign, one cell and one UTF-16 unit each, so the cursor's offset means the same in
 * the text drawn and the text stored, and an edit keeps the stored characters it does not touch.
 */
function drawn(text: string): string {
  return visibleText(text);
}

export interface TextFieldProps extends TextFieldState {
  focused: boolean;
  /** Shown when the value is empty: the current value of the field, or an example. */
  placeholder?: string;
}

/**
 * A one-line text field, drawn: the value, and while the field has the focus the cursor in
 * inverse video (a space after the text when it is at the end), so it reads without colour.
 * Keys reach the field through the router (use-text-field.ts); this view only draws. The cursor
 * is a nested inverse Text, not chalk's escapes in the string: our Text (text.tsx) draws every
 * ESC in a string as ␛, so an inverse made with chalk would show as ␛[7m. Nested texts are
 * virtual text nodes with no layout of their own, so the login screen stays one text node.
 */
export function TextField({ value, cursor, focused, placeholder }: TextFieldProps) {
  const theme = useTheme();
  const atCursor = focused ? value.slice(cursor, cursor + ([...value.slice(cursor)][0]?.length ?? 0)) : '';
  return (
    <Text>
      {focused ? (
        <Text>
          {drawn(value.slice(0, cursor))}
          <Text inverse>{atCursor ? drawn(atCursor) : ' '}</Text>
          {drawn(value.slice(cursor + atCursor.length))}
        </Text>
      ) : (
        <Text>{drawn(value)}</Text>
      )}
      {!value && placeholder ? <Text color={theme.fg('muted')}>{drawn(placeholder)}</Text> : null}
    </Text>
  );
}
