import { getCountries, isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';

export type PhoneRegion = CountryCode;

// Common spellings Intl's English region names do not produce.
const ALIASES: Readonly<Record<string, CountryCode>> = {
  usa: 'US',
  'u.s.a.': 'US',
  'u.s.': 'US',
  'united states of america': 'US',
  uk: 'GB',
  'u.k.': 'GB',
  'great britain': 'GB',
  britain: 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  deutschland: 'DE',
  holland: 'NL',
  'the netherlands': 'NL',
  'south korea': 'KR',
  korea: 'KR',
  russia: 'RU',
  'czech republic': 'CZ',
  'hong kong': 'HK',
  'ivory coast': 'CI',
};

let byEnglishName: Map<string, CountryCode> | undefined;

// Built once from ICU's English names (no data file of our own to maintain).
function englishNames(): Map<string, CountryCode> {
  if (!byEnglishName) {
    byEnglishName = new Map();
    const names = new Intl.DisplayNames(['en'], { type: 'region' });
    for (const code of getCountries()) {
      const name = names.of(code);
      if (name && name !== code) byEnglishName.set(name.toLowerCase(), code);
    }
    for (const [alias, code] of Object.entries(ALIASES)) byEnglishName.set(alias, code);
  }
  return byEnglishName;
}

/**
 * A phone region (ISO 3166-1 alpha-2 code known to libphonenumber) from a code in any case
 * (`gb`), or an English country name (`United Kingdom`, `Germany`, `USA`); else `undefined`.
 */
export function resolvePhoneRegion(value: unknown): PhoneRegion | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (/^[A-Za-z]{2}$/.test(trimmed)) {
    const code = trimmed.toUpperCase();
    if (isSupportedCountry(code)) return code;
  }
  return englishNames().get(trimmed.replace(/\s+/g, ' ').toLowerCase());
}
