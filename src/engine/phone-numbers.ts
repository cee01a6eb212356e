import { createRequire } from 'node:module';
import type { CountryCode } from 'libphonenumber-js';
import type * as PhoneModule from 'libphonenumber-js';

// libphonenumber-js's metadata is loaded on first use, not at start-up.
const requireModule = createRequire(import.meta.url);
let phoneModule: typeof PhoneModule | undefined;
export function phoneLib(): typeof PhoneModule {
  return (phoneModule ??= requireModule('libphonenumber-js') as typeof PhoneModule);
}

/** The country a national number typed for a contact most likely belongs to. */
const ZONE_COUNTRY: Record<string, CountryCode> = {
  'America/New_York': 'US',
  'America/Chicago': 'US',
  'America/Denver': 'US',
  'America/Los_Angeles': 'US',
  'America/Phoenix': 'US',
  'America/Vancouver': 'CA',
  'America/Toronto': 'CA',
  'America/St_Johns': 'CA',
  'Europe/London': 'GB',
  'Europe/Berlin': 'DE',
  'Europe/Paris': 'FR',
  'Asia/Kolkata': 'IN',
  'Asia/Kathmandu': 'NP',
  'Australia/Sydney': 'AU',
  'Pacific/Auckland': 'NZ',
};

export function countryOfZone(zone: string): CountryCode | undefined {
  return ZONE_COUNTRY[zone];
}

export type PhoneCheck = { ok: true; e164: string; international: string } | { ok: false; error: string };

/** Validates a typed number (international, or national for the contact's country). */
export function checkPhoneNumber(input: string, zone?: string): PhoneCheck {
  const text = input.trim();
  if (!text) return { ok: false, error: 'enter a phone number' };
  if (/[^\d+()\s.\-/]/.test(text)) return { ok: false, error: `"${text}" is not a phone number (digits, spaces, + ( ) - . only)` };
  const country = zone ? countryOfZone(zone) : undefined;
  const p = phoneLib().parsePhoneNumberFromString(text, country);
  if (!p || !p.isValid()) {
    return {
      ok: false,
      error: `"${text}" is not a valid phone number${country && !text.startsWith('+') ? ` for ${country}` : ''}; use the international form, such as +1 212 555 0123`,
    };
  }
  return { ok: true, e164: p.number, international: p.formatInternational() };
}

/** "+1 212 734 5566" for display; the stored form stays E.164. */
export function formatPhone(e164: string): string {
  const p = phoneLib().parsePhoneNumberFromString(e164);
  return p ? p.formatInternational() : e164;
}
