import type { TimeZones } from './time-zones.js';

// The one way instants are written as ISO-8601 text (availability, --json, logs). Built by hand
// rather than through Intl: availability formats thousands of slots at a time.

const p2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** "2026-11-25T14:00:00" of the wall clock `ms` shows. */
function isoWall(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}T${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

/** ISO-8601 UTC, exact to the second: 2026-11-25T14:00:00Z. */
export function isoUtc(ms: number): string {
  return `${isoWall(ms)}Z`;
}

/** ISO-8601 local time with its offset: 2026-11-25T19:30:00+05:30. */
export function isoLocalTime(zones: TimeZones, tz: string, ms: number): string {
  const off = zones.offset(tz, ms);
  const a = Math.abs(Math.round(off));
  return `${isoWall(ms + off * 60_000)}${off < 0 ? '-' : '+'}${p2(Math.floor(a / 60))}:${p2(a % 60)}`;
}

/** An instant cut to whole seconds (OCS keeps times in seconds). */
export function wholeSeconds(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/** UTC epoch ms to the OCS field: UTC epoch seconds (null stays null). */
export function toOcsSeconds(ms: number | null): number | null {
  return ms === null ? null : Math.floor(ms / 1000);
}

/** The OCS field (UTC epoch seconds) to the engine's UTC epoch ms. */
export function fromOcsSeconds(sec: number | null): number | null {
  return sec === null ? null : sec * 1000;
}
