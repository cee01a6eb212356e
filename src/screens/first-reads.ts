import type { Engine } from '../engine/engine.js';
import { firstRead, type FirstRead } from './desk-context.js';
import { UNREAD_MESSAGES } from './components/status-bar.js';
import { AGENT_MESSAGES } from './main/messages-pane.js';

/**
 * What the desktop's first frame shows from the store, for the runtime to read before drawing
 * it (readFirst): a logged-in agent's main window lists their messages and counts the unread.
 * Read after the first frame instead, the frame showed "No messages" and "✉ 0" and a second,
 * whole frame followed a moment later with them.
 */
export function firstReads(engine: Engine): FirstRead[] {
  const agentId = engine.agentId;
  return agentId ? [firstRead(AGENT_MESSAGES, agentId), firstRead(UNREAD_MESSAGES, agentId)] : [];
}
