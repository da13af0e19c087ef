import { findIana } from 'windows-iana';
import { isIanaZone } from './zoned-time';

/**
 * The IANA zone a TZID names: an IANA name as it is; a Windows name (Outlook's exports) through
 * the CLDR mapping (windows-iana); a vendor-prefixed name ("/mozilla.org/…/Europe/Berlin") by
 * its IANA tail. Undefined: the caller falls back to the file's own VTIMEZONE offsets.
 */
export function timeZoneOf(tzid: string): string | undefined {
  const name = tzid.trim().replace(/^"|"$/g, '');
  if (isIanaZone(name) && /\//.test(name)) return canonical(name);
  if (name === 'UTC' || name === 'GMT' || name === 'Etc/UTC') return 'UTC';
  const windows = findIana(name);
  if (windows?.length) return canonical(windows[0]!);
  const tail = /([A-Za-z_]+\/[A-Za-z_+-]+(?:\/[A-Za-z_+-]+)?)$/.exec(name)?.[1];
  if (tail && isIanaZone(tail)) return canonical(tail);
  return undefined;
}

// Old names some sources still use, to the ones current tz data and Graph prefer.
const CURRENT: Record<string, string> = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Europe/Kiev': 'Europe/Kyiv',
};

function canonical(zone: string): string {
  return CURRENT[zone] ?? zone;
}
