import type { Contact } from './domain.js';
import type { StoreReader } from './store-port.js';

/** Whether a search for `query` can find anyone: an empty one finds nobody (nothing is read). */
export function findsAny(query: string): boolean {
  return query.trim() !== '';
}

/**
 * Team Communicator's search: contacts whose name contains the text, then those with a number
 * containing its digits (3 or more). On a list of a million contacts a search that finds few
 * reads every row (a third of a second here), so it is not run again for the same text (the
 * screen asks on every render), and text that extends a search which found everything is
 * answered from that search's results. Other processes' changes and edited contacts start
 * afresh (`invalidate`).
 */
export class DirectorySearch {
  private last: { text: string; limit: number; results: Contact[]; complete: boolean } | null = null;

  /** Bumped by invalidate: a search that was under way meanwhile keeps no results. */
  private generation = 0;

  invalidate(): void {
    this.last = null;
    this.generation++;
  }

  /** Searches with `q`, a reader of what was committed. */
  async search(q: StoreReader, query: string, limit: number): Promise<Contact[]> {
    const text = query.trim();
    if (!findsAny(text)) return [];
    const last = this.last;
    const generation = this.generation;
    if (last && last.limit === limit) {
      if (last.text === text) return last.results;
      // Every contact matching the longer text matched the shorter one (by name, or by number
      // when the shorter one had digits enough to be looked up by number).
      const numbersAsked = digitsOf(last.text).length >= 3 || digitsOf(text).length < 3;
      if (last.complete && numbersAsked && foldAscii(text).includes(foldAscii(last.text))) {
        const named = last.results.filter((c) => nameHas(c, text));
        const numbered: Contact[] = [];
        for (const c of last.results) if (!nameHas(c, text) && (await numberHas(q, c, text))) numbered.push(c);
        return this.keep(generation, text, limit, [...named, ...numbered], true);
      }
    }
    const named = await q.contacts.searchByName(text, limit);
    const out = [...named];
    let complete = named.length < limit;
    const digits = digitsOf(text);
    if (digits.length >= 3 && out.length < limit) {
      const seen = new Set(out.map((c) => c.id));
      const ids = await q.records.contactsWithNumber(digits, limit);
      if (ids.length >= limit) complete = false;
      for (const id of ids) {
        if (seen.has(id)) continue;
        const c = await q.contacts.get(id);
        if (c) out.push(c);
        if (out.length >= limit) {
          complete = false;
          break;
        }
      }
    }
    return this.keep(generation, text, limit, out, complete);
  }

  private keep(generation: number, text: string, limit: number, results: Contact[], complete: boolean): Contact[] {
    if (generation === this.generation) this.last = { text, limit, results, complete };
    return results;
  }
}

async function numberHas(q: StoreReader, c: Contact, text: string): Promise<boolean> {
  const digits = digitsOf(text);
  return digits.length >= 3 && (await q.records.ofContact(c.id)).some((r) => r.contact_info.includes(digits));
}

const digitsOf = (text: string) => text.replace(/[^\d]/g, '');

/** Case folded as SQLite's LIKE folds it: ASCII letters only. */
const foldAscii = (s: string) => s.replace(/[A-Z]/g, (ch) => ch.toLowerCase());

const nameHas = (c: Contact, text: string) => foldAscii(`${c.firstName} ${c.lastName}`).includes(foldAscii(text));
