import { DateTime, Zone } from 'luxon';
import { formatOffsetMinutes } from './time-zones.js';
import { abbrAt, offsetAt, type ZoneRules } from './zone-rules.js';

/**
 * For code that wants luxon's calendar arithmetic on the engine's zone rules: a luxon Zone
 * backed by them, so luxon never consults the runtime's stale ICU data. The desktop itself
 * formats with formatWall (no Intl at start-up), so luxon stays out of the bin's start path.
 */
export class RulesZone extends Zone {
  constructor(private readonly rules: ZoneRules) {
    super();
  }
  override get type(): string {
    return 'callback-desk';
  }
  override get name(): string {
    return this.rules.name;
  }
  get ianaName(): string {
    return this.rules.name;
  }
  override get isUniversal(): boolean {
    return false;
  }
  override offsetName(ts: number): string {
    return abbrAt(this.rules, ts);
  }
  override formatOffset(ts: number, format: 'narrow' | 'short' | 'techie'): string {
    return formatOffsetMinutes(offsetAt(this.rules, ts), format);
  }
  override offset(ts: number): number {
    return offsetAt(this.rules, ts);
  }
  override equals(other: Zone): boolean {
    return other instanceof RulesZone && other.name === this.name;
  }
  override get isValid(): boolean {
    return true;
  }
}


export function luxonDateTime(utc: number, rules: ZoneRules): DateTime {
  return DateTime.fromMillis(utc, { zone: new RulesZone(rules) });
}
