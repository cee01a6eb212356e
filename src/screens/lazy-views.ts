import { useEffect, useReducer } from 'react';

type Views = typeof import('./views.js');

let views: Views | undefined;
let loading: Promise<Views> | undefined;

/**
 * Loads the interaction windows and forms. The desktop calls this once its first frame is up;
 * demo runs and tests before they render, so no frame ever waits for it.
 */
export function preloadViews(): Promise<Views> {
  return (loading ??= import('./views.js').then((m) => (views = m)));
}

/** The views, or undefined while they load (the caller shows a one-line placeholder). */
export function useViews(): Views | undefined {
  const [, loaded] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (!views) void preloadViews().then(() => loaded());
  }, []);
  return views;
}

/**
 * False on the desktop's first frame and until the views have loaded after it; demo runs and
 * tests preload, so there it is true from the start and their frames do not change. Work the
 * first frame can go without (a campaign's figures, simulated from its start) waits for it.
 */
export function useAfterFirstFrame(): boolean {
  return useViews() !== undefined;
}
