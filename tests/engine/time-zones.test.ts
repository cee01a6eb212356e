import { explicitInstant, parseTypedTime, parseWhen } from '../../src/engine/time/callback-time.js';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TimeZones } from '../../src/engine/time/time-zones.js';
import { luxonDateTime } from '../../src/engine/time/luxon-zone.js';
import { compareTzVersions, offsetAt, parsePosixTz, parseTzif, unpackBase60, unpackMomentZone, searchableString, zoneDatabaseFromMoment, zoneDatabaseFromMomentText, type MomentPackedData } from '../../src/engine/time/zone-rules.js';
import { createRequire } from 'node:module';
import { loadZoneDatabase } from '../../src/platform/tzdata.js';
import { testZones } from '../helpers/world.js';

const tz = testZones();
const utc = (r: ReturnType<TimeZones['resolve']>) => (r.kind === 'exact' ? new Date(r.utc).toISOString() : r.kind);

describe('zone rules', () => {
  it("unpacks every zone of moment-timezone's packed file as the plain reading does, number by number", () => {
    const data = JSON.parse(fs.readFileSync(createRequire(import.meta.url).resolve('moment-timezone/data/packed/latest.json'), 'utf8')) as MomentPackedData;
    // The plain reading: split on spaces, each number through unpackBase60, summed.
    const plain = (line: string) => {
      const [, abbrList, offsetList, indexList = '', untilList = ''] = line.split('|');
      const offsets = offsetList.split(' ').map((o) => -unpackBase60(o));
      const idx = indexList ? [...indexList].map((c) => parseInt(c, 36) + (c >= 'A' && c <= 'Z' ? 26 : 0)) : [0];
      let acc = 0;
      const untils = untilList ? untilList.split(' ').map((d) => Math.round((acc += unpackBase60(d)) * 60000)) : [];
      while (untils.length < idx.length) untils.push(Infinity);
      return { untils, offsets: idx.map((i) => Math.round(offsets[i] * 60) / 60), abbrs: idx.map((i) => abbrList.split(' ')[i]) };
    };
    expect(data.zones.length).toBeGreaterThan(300);
    for (const line of data.zones) {
      const { name, ...rules } = unpackMomentZone(line);
      expect(rules, name).toEqual(plain(line));
    }
  });

  it("reads moment-timezone's packed file a zone at a time exactly as the whole file parsed (every zone and link, and names it lacks)", () => {
    const text = fs.readFileSync(createRequire(import.meta.url).resolve('moment-timezone/data/packed/latest.json'), 'utf8');
    const whole = zoneDatabaseFromMoment(JSON.parse(text) as MomentPackedData, 'whole');
    const lazy = zoneDatabaseFromMomentText(searchableString(text), 'lazy');
    expect(lazy.version).toBe(whole.version);
    const names = whole.names();
    // Links (Asia/Calcutta, US/Eastern) as well as zones.
    expect(names).toEqual(expect.arrayContaining(['America/New_York', 'Asia/Calcutta', 'US/Eastern']));
    for (const name of names) expect(lazy.get(name), name).toEqual(whole.get(name));
    for (const name of ['Nowhere/City', 'America/New', 'York', 'America/New_York"', 'Africa/Abidjan|Africa/Accra', '', 'zones']) expect(lazy.get(name), name).toBeUndefined();
    expect(lazy.names()).toEqual(names);
    // The platform's reader: the file's bytes, undecoded, find the same zones.
    const platform = loadZoneDatabase('/nonexistent-zoneinfo');
    expect(platform.version).toBe(whole.version);
    for (const name of ['America/New_York', 'Asia/Calcutta', 'US/Eastern', 'Australia/Lord_Howe', 'Pacific/Chatham']) expect(platform.get(name), name).toEqual(whole.get(name));
    expect(platform.get('Nowhere/City')).toBeUndefined();
    expect(platform.names()).toEqual(names);
  });

  it('uses tzdata of 2026 or later, whatever the runtime ships', () => {
    expect(compareTzVersions(tz.db.version, '2026a')).toBeGreaterThanOrEqual(0);
  });

  it('knows that British Columbia stopped changing clocks: 10:00 on 2026-11-24 in Vancouver is 17:00 UTC', () => {
    expect(utc(tz.resolve('America/Vancouver', { year: 2026, month: 11, day: 24, hour: 10, minute: 0 }))).toBe('2026-11-24T17:00:00.000Z');
  });

  it('handles half-hour and 45-minute offsets and southern daylight saving', () => {
    const at = Date.UTC(2026, 10, 24, 12);
    expect(tz.offset('Asia/Kolkata', at)).toBe(330);
    expect(tz.offset('Asia/Kathmandu', at)).toBe(345);
    expect(tz.offset('America/St_Johns', at)).toBe(-210);
    expect(tz.offset('Australia/Sydney', at)).toBe(660); // AEDT in November
    expect(tz.offset('Australia/Sydney', Date.UTC(2026, 6, 1))).toBe(600);
  });

  it('refuses a time in the spring-forward gap, naming the nearest valid instants', () => {
    const r = tz.resolve('America/New_York', { year: 2026, month: 3, day: 8, hour: 2, minute: 30 });
    expect(r.kind).toBe('gap');
    if (r.kind !== 'gap') return;
    expect(tz.format(r.before, 'America/New_York', 'HH:mm')).toBe('01:59 EST');
    expect(tz.format(r.after, 'America/New_York', 'HH:mm')).toBe('03:00 EDT');
  });

  it('offers both instants of the fall-back hour', () => {
    const r = tz.resolve('America/New_York', { year: 2026, month: 11, day: 1, hour: 1, minute: 30 });
    expect(r.kind).toBe('overlap');
    if (r.kind !== 'overlap') return;
    expect(new Date(r.earlier).toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(new Date(r.later).toISOString()).toBe('2026-11-01T06:30:00.000Z');
  });

  it('unpacks base 60 numbers with sign and fraction', () => {
    expect(unpackBase60('10')).toBe(60);
    expect(unpackBase60('-1')).toBe(-1);
    expect(unpackBase60('0.u')).toBeCloseTo(0.5);
  });

  it('parses POSIX TZ strings for slim TZif files', () => {
    const p = parsePosixTz('EST5EDT,M3.2.0,M11.1.0');
    expect(p?.stdOff).toBe(-300);
    expect(p?.dst?.off).toBe(-240);
    expect(parsePosixTz('<+0545>-5:45')?.stdOff).toBe(345);
  });

  // The desktop reads the system's zoneinfo when it is newer than the bundled data
  // (src/platform/tzdata.ts): without it this fails, naming the package, rather than skip.
  it('reads system TZif files to the same offsets as the bundled data', () => {
    const file = '/usr/share/zoneinfo/America/New_York';
    if (!fs.existsSync(file)) throw new Error(`${file} not found: this test reads the system's zoneinfo (apt-get install tzdata)`);
    const sys = parseTzif('America/New_York', fs.readFileSync(file));
    const bundled = tz.rules('America/New_York');
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2031, 0, 1); t += 6 * 3600_000) {
      expect(offsetAt(sys, t)).toBe(offsetAt(bundled, t));
    }
  });
});

describe('luxon on the engine\'s rules', () => {
  it('does calendar arithmetic with the 2026 rules of Vancouver, not the runtime\'s', () => {
    const d = luxonDateTime(Date.UTC(2026, 10, 24, 17), tz.rules('America/Vancouver'));
    expect(d.toFormat('yyyy-LL-dd HH:mm ZZ')).toBe('2026-11-24 10:00 -07:00');
    expect(d.plus({ days: 120 }).toFormat('HH:mm ZZ')).toBe('10:00 -07:00');
  });
});

describe('typed times with a zone or offset of their own', () => {
  const zones = testZones();
  const now = Date.UTC(2026, 10, 24, 15);
  const read = (t: string) => {
    const p = parseWhen(t, now, 'America/New_York', zones);
    return p && explicitInstant(p, zones);
  };
  it('reads Z, numeric offsets, abbreviations and IANA names in their own zone, and says which', () => {
    expect(read('2026-11-25T15:00:00Z')).toEqual({ utc: Date.UTC(2026, 10, 25, 15), readIn: 'UTC' });
    expect(read('2026-11-25 10:00 +0900')).toEqual({ utc: Date.UTC(2026, 10, 25, 1), readIn: 'UTC+09:00' });
    expect(read('2026-11-25T10:00:00+05:30')).toEqual({ utc: Date.UTC(2026, 10, 25, 4, 30), readIn: 'UTC+05:30' });
    expect(read('2026-11-25 10:00 -0900')).toEqual({ utc: Date.UTC(2026, 10, 25, 19), readIn: 'UTC-09:00' });
    expect(read('2026-11-25 10:00 PST')).toEqual({ utc: Date.UTC(2026, 10, 25, 18), readIn: 'PST' });
    expect(read('tomorrow 10:00 Europe/Berlin')).toEqual({ utc: Date.UTC(2026, 10, 25, 9), readIn: 'Europe/Berlin' });
  });
  it('reads a time without a zone in the default zone, as before', () => {
    expect(read('2026-11-25 10:00')).toBeNull();
    expect(parseWhen('2026-11-25 10:00', now, 'America/New_York', zones)).toMatchObject({ kind: 'wall', wall: { hour: 10 } });
  });
  it('refuses a named-zone time in its daylight-saving gap and impossible offsets', () => {
    expect(read('2026-03-29 02:30 Europe/Berlin')).toMatchObject({ error: expect.stringMatching(/does not exist in Europe\/Berlin/) });
    expect(parseWhen('2026-11-25 10:00 +2500', now, 'America/New_York', zones)).toBeNull();
    expect(parseWhen('2026-02-30T10:00:00Z', now, 'America/New_York', zones)).toBeNull();
  });
});

describe('a typed time on a form\'s date', () => {
  const zones = testZones();
  const now = Date.UTC(2026, 10, 24, 15);
  const day = { year: 2026, month: 11, day: 25 };
  it('is the form\'s zone without a zone, and moves to it with one (the date may move too)', () => {
    expect(parseTypedTime('15:30', day, 'America/New_York', now, zones)).toEqual({ hour: 15, minute: 30, date: day });
    expect(parseTypedTime('15:30 UTC', day, 'America/New_York', now, zones)).toEqual({ hour: 10, minute: 30, date: day, readIn: 'UTC' });
    expect(parseTypedTime('03:00 UTC', day, 'America/New_York', now, zones)).toEqual({ hour: 22, minute: 0, date: { year: 2026, month: 11, day: 24 }, readIn: 'UTC' });
    expect(parseTypedTime('10:00 Europe/Berlin', day, 'America/New_York', now, zones)).toMatchObject({ hour: 4, minute: 0, readIn: 'Europe/Berlin' });
    expect(parseTypedTime('soon', day, 'America/New_York', now, zones)).toBeNull();
  });
});

