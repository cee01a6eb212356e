import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import {
  compareTzVersions,
  parseTzif,
  zoneDatabaseFromMomentText,
  type SearchableText,
  type ZoneDatabase,
  type ZoneRules,
} from '../engine/time/zone-rules.js';

const require = createRequire(import.meta.url);

/** tzdata release of the system's zoneinfo, from tzdata.zi's "# version" line. */
function systemVersion(dir: string): string | undefined {
  try {
    const head = fs.readFileSync(path.join(dir, 'tzdata.zi'), 'latin1').slice(0, 200);
    return /# version (\S+)/.exec(head)?.[1];
  } catch {
    return undefined;
  }
}

function systemDatabase(dir: string, version: string): ZoneDatabase {
  const cache = new Map<string, ZoneRules | null>();
  let names: string[] | undefined;
  const listNames = (): string[] => {
    try {
      const zi = fs.readFileSync(path.join(dir, 'tzdata.zi'), 'latin1');
      const out = new Set<string>();
      for (const line of zi.split('\n')) {
        const m = /^Z (\S+)/.exec(line) ?? /^L \S+ (\S+)/.exec(line);
        if (m) out.add(m[1]);
      }
      return [...out].sort();
    } catch {
      return [];
    }
  };
  return {
    version,
    source: `system zoneinfo (${dir})`,
    names: () => (names ??= listNames()),
    get(name) {
      if (cache.has(name)) return cache.get(name) ?? undefined;
      let rules: ZoneRules | null = null;
      if (/^[A-Za-z0-9_+\-/]+$/.test(name) && !name.includes('..')) {
        try {
          rules = parseTzif(name, fs.readFileSync(path.join(dir, name)));
        } catch {
          rules = null;
        }
      }
      cache.set(name, rules);
      return rules ?? undefined;
    },
  };
}

/** A file's bytes searched where they lie, decoded only where sliced (ASCII, or UTF-8 whole). */
function searchableBytes(bytes: Buffer): SearchableText {
  return {
    length: bytes.length,
    indexOf: (needle, from) => bytes.indexOf(needle, from, 'latin1'),
    lastIndexOf: (needle, before) => bytes.lastIndexOf(needle, before, 'latin1'),
    // The whole file (a JSON.parse of it) as UTF-8; a zone's line is ASCII.
    slice: (from, to) => bytes.toString(from === 0 && to === bytes.length ? 'utf8' : 'latin1', from, to),
  };
}

/**
 * The newest zone rules on this machine: the system's zoneinfo or the maintained data of the
 * moment-timezone package, whichever release is newer. The runtime's own ICU data is never
 * used; it lags (Node 20 ships 2025c).
 */
export function loadZoneDatabase(zoneinfoDir = process.env.TZDIR || '/usr/share/zoneinfo'): ZoneDatabase {
  const pkgVersion = (require('moment-timezone/package.json') as { version: string }).version;
  const bundled = zoneDatabaseFromMomentText(searchableBytes(fs.readFileSync(require.resolve('moment-timezone/data/packed/latest.json'))), `moment-timezone ${pkgVersion} data`);
  const sys = systemVersion(zoneinfoDir);
  if (sys && compareTzVersions(sys, bundled.version) > 0) return systemDatabase(zoneinfoDir, sys);
  return bundled;
}
