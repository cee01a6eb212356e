import { Fragment, cloneElement, createElement, isValidElement, type ReactNode } from 'react';
import { Text as InkText, type TextProps } from 'ink';
import { hasControl, visibleText } from '../../runtime/visible-text.js';

/** A child that is only line breaks, `{'\n'}`: the screen's own layout (the login screen is one text). */
const LAYOUT_BREAKS = /^\n+$/;

/**
 * Strings in `node` (arrays and fragments included) with their control characters drawn
 * visibly. Nested Text elements are ours and see to their own; unchanged nodes are returned
 * as they were, so a frame without control characters costs one regex test per string.
 */
function visibleChildren(node: ReactNode): ReactNode {
  if (typeof node === 'string') return hasControl(node) && !LAYOUT_BREAKS.test(node) ? visibleText(node) : node;
  if (Array.isArray(node)) {
    let changed = false;
    const out = node.map((c: ReactNode) => {
      const v = visibleChildren(c);
      if (v !== c) changed = true;
      return v;
    });
    return changed ? out : node;
  }
  if (isValidElement<{ children?: ReactNode }>(node) && node.type === Fragment) {
    const kids = node.props.children;
    const v = visibleChildren(kids);
    return v === kids ? node : cloneElement(node, undefined, v);
  }
  return node;
}

/**
 * Ink's Text, with every string in it made safe for the terminal (runtime/visible-text.ts): a
 * customer's name holding ESC ] 0 ; … BEL is drawn as ␛]0;…␇ instead of setting the window's
 * title. Every screen draws text with this one; tests/screens/visible-text.test.tsx fails on a
 * file under src/screens that imports Ink's own.
 */
export function Text({ children, 'aria-label': ariaLabel, ...props }: TextProps) {
  const shown = visibleChildren(children);
  const label = ariaLabel === undefined ? undefined : visibleText(ariaLabel);
  // Several children are passed as arguments, as JSX passes them, so React does not take them
  // for a list that needs keys.
  return Array.isArray(shown) ? createElement(InkText, { ...props, 'aria-label': label }, ...(shown as ReactNode[])) : createElement(InkText, { ...props, 'aria-label': label }, shown);
}
