import { explicitInstant, parseWhen } from './callback-time.js';
import type { TimeZones, WallTime } from './time-zones.js';

/**
 * What a form's Date field read: the wall time the text names in the form's zone, whether it
 * named a time of day, and, when it named a zone or offset of its own ("2026-11-30T15:00:00Z",
 * "10:00 Europe/Berlin"), the instant and where it was read.
 */
export interface TypedWhen {
  wall: WallTime;
  hasTime: boolean;
  pinned: { utc: number; readIn: string } | null;
}

/**
 * Text typed into a Date field (the Genesys, web and OCS forms), read in `tz`: null for no text;
 * `error` null when it names no date (each form says so its own way), or the reason a named
 * time does not exist (a daylight-saving gap in the zone the text named).
 */
export function readTypedWhen(text: string, now: number, tz: string, zones: TimeZones): TypedWhen | { error: string | null } | null {
  if (!text.trim()) return null;
  const p = parseWhen(text, now, tz, zones);
  if (!p) return { error: null };
  const pinned = explicitInstant(p, zones);
  if (pinned && 'error' in pinned) return { error: pinned.error };
  if (pinned || p.kind === 'instant') return { wall: zones.toWall(tz, pinned ? pinned.utc : (p as { utc: number }).utc), hasTime: true, pinned };
  return { wall: p.wall, hasTime: p.hasTime, pinned: null };
}
