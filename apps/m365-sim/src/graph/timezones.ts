/**
 * Time zones for event dateTimes: Windows names (as Outlook uses them) and IANA names.
 * Graph stores instants and answers in UTC unless `Prefer: outlook.timezone="<zone>"` asks
 * otherwise (learn.microsoft.com/graph/api/user-list-events, "Prefer: outlook.timezone").
 */
import { GraphError } from './errors';

const WINDOWS: Record<string, string> = {
  UTC: 'UTC',
  'Coordinated Universal Time': 'UTC',
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Central European Standard Time': 'Europe/Warsaw',
  'Romance Standard Time': 'Europe/Paris',
  'E. Europe Standard Time': 'Europe/Chisinau',
  'FLE Standard Time': 'Europe/Kiev',
  'GTB Standard Time': 'Europe/Bucharest',
  'Russian Standard Time': 'Europe/Moscow',
  'Eastern Standard Time': 'America/New_York',
  'Central Standard Time': 'America/Chicago',
  'Mountain Standard Time': 'America/Denver',
  'US Mountain Standard Time': 'America/Phoenix',
  'Pacific Standard Time': 'America/Los_Angeles',
  'Alaskan Standard Time': 'America/Anchorage',
  'Hawaiian Standard Time': 'Pacific/Honolulu',
  'Atlantic Standard Time': 'America/Halifax',
  'E. South America Standard Time': 'America/Sao_Paulo',
  'India Standard Time': 'Asia/Kolkata',
  'China Standard Time': 'Asia/Shanghai',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'Singapore Standard Time': 'Asia/Singapore',
  'AUS Eastern Standard Time': 'Australia/Sydney',
  'New Zealand Standard Time': 'Pacific/Auckland',
  'South Africa Standard Time': 'Africa/Johannesburg',
  'Arabian Standard Time': 'Asia/Dubai',
};

export function ianaOf(tz: string | null | undefined): string {
  const name = (tz ?? 'UTC').trim() || 'UTC';
  const w = WINDOWS[name];
  if (w) return w;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return name;
  } catch {
    throw new GraphError(
      400,
      'TimeZoneNotSupportedException',
      `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${name}'.`,
    );
  }
}

const fmts = new Map<string, Intl.DateTimeFormat>();
function fmt(iana: string): Intl.DateTimeFormat {
  let f = fmts.get(iana);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: iana,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    fmts.set(iana, f);
  }
  return f;
}

/** offset (ms) of the zone at a UTC instant */
export function offsetMs(utcMs: number, iana: string): number {
  if (iana === 'UTC') return 0;
  const p: Record<string, number> = {};
  for (const part of fmt(iana).formatToParts(new Date(utcMs)))
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - (utcMs - (((utcMs % 1000) + 1000) % 1000));
}

/** wall-clock time in a zone (expressed as if it were UTC) -> UTC instant */
export function zonedToUtc(wallMs: number, iana: string): number {
  if (iana === 'UTC') return wallMs;
  let guess = wallMs - offsetMs(wallMs, iana);
  guess = wallMs - offsetMs(guess, iana);
  return guess;
}

/** UTC instant -> wall-clock time in a zone (expressed as if it were UTC) */
export function utcToZoned(utcMs: number, iana: string): number {
  return utcMs + offsetMs(utcMs, iana);
}
