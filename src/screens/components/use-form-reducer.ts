import { useCallback, useReducer, useRef } from 'react';

/**
 * A form's state and its pure reducer (genesys-callback-state.ts, web-reschedule-state.ts,
 * call/reschedule-state.ts), held as the lists' and the text fields' states are: in a ref, so
 * each key of one read is applied to the state the key before it left, and a handler reads the
 * state as it is now (`get`), not as it was last drawn. An action that changes nothing draws
 * nothing. `reducer` must not change between renders (a module's function).
 */
export function useFormReducer<S, A>(reducer: (s: S, a: A) => S, init: () => S): [state: S, dispatch: (a: A) => void, get: () => S] {
  const current = useRef<{ state: S } | null>(null);
  current.current ??= { state: init() };
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const dispatch = useCallback(
    (a: A) => {
      const next = reducer(current.current!.state, a);
      if (next === current.current!.state) return;
      current.current!.state = next;
      redraw();
    },
    [reducer],
  );
  const get = useCallback(() => current.current!.state, []);
  return [current.current.state, dispatch, get];
}
