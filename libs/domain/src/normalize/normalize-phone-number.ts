import { parsePhoneNumberFromString, type PhoneNumber } from 'libphonenumber-js/max';
import { DomainValidationError } from '../errors/domain-validation-error';
import { cleanText } from './clean-text';
import { resolvePhoneRegion, type PhoneRegion } from './phone-region';

/** `ok: false` keeps the number as written (trimmed) so it is still synced, and flags it. */
export type PhoneNormalization =
  { readonly ok: true; readonly value: string } | { readonly ok: false; readonly value: string };

function parse(text: string, region: PhoneRegion | undefined): PhoneNumber | undefined {
  // extract: false — the whole text must be one number ("425-555-0100 / 0101" is not).
  return parsePhoneNumberFromString(text, { defaultCountry: region, extract: false });
}

function e164(number: PhoneNumber): string {
  // RFC 3966 style extension: dialers understand it and it re-parses to the same value.
  return number.ext ? `${number.number};ext=${number.ext}` : number.number;
}

/**
 * A phone number in E.164 (`+442079460958`; extension kept as `+14255550100;ext=12`).
 * Numbers without `+` are read in each of `regions` in turn (the record's own country first,
 * then the list's default). A number valid in one of them wins; failing that, one of a
 * possible length for a region (libphonenumber's validity data lags new and reserved ranges —
 * e.g. the UK's 07700 900xxx drama numbers — and a real number must not be flagged for that).
 * `00` international prefixes are accepted whatever the region (`0044 20…` from a US list).
 * Returns `undefined` for an empty value.
 */
export function normalizePhoneNumber(
  raw: string,
  regions: readonly PhoneRegion[],
): PhoneNormalization | undefined {
  const written = cleanText(raw);
  if (written === undefined) return undefined;
  const text = written.replace(/^tel:/i, '');
  const candidates = text.startsWith('+') ? [undefined] : [...new Set(regions)];
  const attempts: PhoneNumber[] = [];
  for (const region of candidates) {
    const parsed = parse(text, region);
    if (parsed) attempts.push(parsed);
  }
  const intl = /^00[1-9]/.test(text.replace(/[\s().-]/g, ''))
    ? parse('+' + text.replace(/^[\s(]*00/, ''), undefined)
    : undefined;
  if (intl) attempts.push(intl);
  // Failing a valid reading, a `00` international reading goes before national ones of a merely
  // possible length: in Japan or Korea (international prefix 010/001) "0044 7700 900123" is
  // also a possible national number, but it was meant as the UK.
  const chosen =
    attempts.find((p) => p.isValid()) ??
    (intl?.isPossible() ? intl : attempts.find((p) => p.isPossible()));
  return chosen ? { ok: true, value: e164(chosen) } : { ok: false, value: written };
}

/** The list's default region, or INVALID_PHONE_REGION naming the bad value. */
export function parseDefaultPhoneRegion(value: unknown, field = 'defaultRegion'): PhoneRegion {
  const region =
    typeof value === 'string' && /^[A-Za-z]{2}$/.test(value.trim())
      ? resolvePhoneRegion(value)
      : undefined;
  if (!region) {
    throw new DomainValidationError('INVALID_PHONE_REGION', [
      {
        field,
        message: `"${String(value)}" is not a supported ISO 3166-1 alpha-2 region (e.g. "US", "GB")`,
      },
    ]);
  }
  return region;
}
