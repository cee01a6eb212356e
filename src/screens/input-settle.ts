/**
 * Whether every text field has shown the last edit it proposed. The desktop hands Ink the next
 * key only when it has (runtime/paced-stdin.ts): ink-text-input computes an edit from the value
 * it last rendered, so a second Backspace before the first is rendered would act on stale text.
 */
let pending = 0;

export function editProposed(): void {
  pending++;
}

export function editShown(): void {
  pending = Math.max(0, pending - 1);
}

export function editsSettled(): boolean {
  return pending === 0;
}
