import { useCallback, useMemo, useRef, useState } from 'react';
import { editText, fieldKey, textFieldState, type TextFieldRules, type TextFieldState } from './text-field-state.js';

/** A field's key handler for the router: true when the key was the field's (see fieldKey). */
export type FieldKeys = (key: string, text?: string) => boolean;

/**
 * The input side of text fields (the state reducer is text-field-state.ts, the view
 * text-field.tsx): the fields' states, and a key handler the view hands the router
 * (`useKeymap(map, handlers, { field })`). The router is the only reader of the keyboard; each
 * key is applied to the state the previous key left (kept in a ref, so even keys handled before
 * React draws again see it), then drawn.
 */
export function useTextFields<N extends string>(initial: Record<N, string>, rules: TextFieldRules) {
  const [states, setStates] = useState(() => Object.fromEntries(Object.entries<string>(initial).map(([n, v]) => [n, textFieldState(v)])) as Record<N, TextFieldState>);
  const current = useRef(states);
  const commit = useCallback((name: N, next: TextFieldState) => {
    if (next === current.current[name]) return;
    current.current = { ...current.current, [name]: next };
    setStates(current.current);
  }, []);
  const setValue = useCallback((name: N, value: string) => commit(name, editText(current.current[name], { type: 'set', value }, rules)), [commit, rules]);
  const keys = useCallback(
    (name: N, key: string, text?: string) => {
      const next = fieldKey(current.current[name], key, text, rules);
      if (!next) return false;
      commit(name, next);
      return true;
    },
    [commit, rules],
  );
  return { states, setValue, keys };
}

/**
 * One text field: its value, a setter (the cursor goes to the end), the router's key handler,
 * and the props of its <TextField>. Ctrl+U empties it.
 */
export function useTextField(initial = '', maxLength = 80, accept?: RegExp): [string, (v: string) => void, FieldKeys, TextFieldState] {
  const rules = useMemo(() => ({ maxLength, accept }), [maxLength, accept]);
  const { states, setValue, keys } = useTextFields({ value: initial }, rules);
  const set = useCallback((v: string) => setValue('value', v), [setValue]);
  const onKey = useCallback<FieldKeys>((key, text) => keys('value', key, text), [keys]);
  return [states.value.value, set, onKey, states.value];
}
