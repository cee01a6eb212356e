import { createContext, useContext, useEffect, useRef, useState } from 'react';
import { Text } from './text.js';
import TextInput from 'ink-text-input';
import { editProposed, editShown } from '../input-settle.js';
import { useInputIsText } from '../keypress.js';
import { useTheme } from '../theme.js';
import { editOfVisible, visibleText } from '../../runtime/visible-text.js';

/**
 * False while help or the quit question covers the screen: the fields beneath stay mounted
 * (nothing typed is lost) but take no keys.
 */
export const InputLive = createContext(true);

/** What a field keeps of a proposed value: no paste markers, no line breaks, only `accept`ed characters. */
export function sanitizeFieldText(text: string, accept: RegExp | undefined, maxLength: number): string {
  const flat = text.replace(/\x1b?\[20[01]~/g, '').replace(/[\r\n\t]+/g, ' ');
  const kept = accept ? [...flat].filter((ch) => accept.test(ch)).join('') : flat;
  // "?" opens help from every field; it is never text.
  return kept.replace(/\?/g, '').slice(0, maxLength);
}

export interface TextFieldProps {
  value: string;
  onChange: (v: string) => void;
  focused: boolean;
  /** Shown when the value is empty: the current value of the field, or an example. */
  placeholder?: string;
  accept?: RegExp;
  maxLength?: number;
}

/**
 * A one-line text field on ink-text-input: the cursor moves with ←/→ inside the text, typing
 * inserts at the cursor, a paste is inserted as text (its line breaks become spaces, never
 * Enter). ink-text-input takes every key Ink reads while it has focus, so this wrapper drops
 * what is not text: control keys (ctrl+letter would insert the letter), bracketed-paste markers
 * and characters the field does not accept.
 */
export function TextField({ value, onChange, focused, placeholder, accept, maxLength = 80 }: TextFieldProps) {
  const theme = useTheme();
  const live = useContext(InputLive);
  const focus = focused && live;
  const inputIsText = useInputIsText();
  // A refused edit remounts the input, so its cursor does not drift from the text.
  const [generation, setGeneration] = useState(0);
  const awaitingCommit = useRef(false);
  const propose = (next: string) => {
    // The router classified this input event before ink-text-input saw it. An edit made by a
    // control key or a paste mark is dropped (and the input remounted, so its cursor follows).
    if (!inputIsText()) {
      setGeneration((g) => g + 1);
      return;
    }
    const clean = sanitizeFieldText(next, accept, maxLength);
    if (clean !== next) setGeneration((g) => g + 1);
    if (clean === value) return;
    // The desktop holds the next key until this edit is on screen (input-settle.ts).
    if (!awaitingCommit.current) editProposed();
    awaitingCommit.current = true;
    onChange(clean);
  };
  useEffect(() => {
    if (!awaitingCommit.current) return;
    awaitingCommit.current = false;
    editShown();
  });
  // A field that goes away with an edit in flight does not hold the keys back.
  useEffect(
    () => () => {
      if (awaitingCommit.current) editShown();
    },
    [],
  );
  return (
    <Text>
      {/* The value as drawn (a control character as its sign, one cell each); an edit keeps the stored ones it did not touch. */}
      <TextInput key={generation} value={visibleText(value)} onChange={(shown) => propose(editOfVisible(value, shown))} focus={focus} showCursor />
      {!value && placeholder ? <Text color={theme.fg('muted')}>{placeholder}</Text> : null}
    </Text>
  );
}
