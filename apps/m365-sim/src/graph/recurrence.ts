/** Expansion of Graph patternedRecurrence (pattern + range) into occurrence dates (YYYY-MM-DD). */
import type * as MG from '@microsoft/microsoft-graph-types';

const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const DAY_MS = 86400_000;

export function ymd(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
export function parseYmd(s: string): number {
  return Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10)));
}

export function validateRecurrence(r: MG.PatternedRecurrence): string | undefined {
  const p = r.pattern;
  const g = r.range;
  if (!p || !g) return 'Recurrence pattern and range are required.';
  const types = [
    'daily',
    'weekly',
    'absoluteMonthly',
    'relativeMonthly',
    'absoluteYearly',
    'relativeYearly',
  ];
  if (!p.type || !types.includes(p.type))
    return `Invalid recurrence pattern type '${String(p.type)}'.`;
  if (!Number.isInteger(p.interval ?? 1) || (p.interval ?? 1) < 1)
    return 'Recurrence interval must be a positive integer.';
  if ((p.type === 'weekly' || p.type.startsWith('relative')) && !p.daysOfWeek?.length)
    return 'daysOfWeek is required for this recurrence pattern.';
  if (p.daysOfWeek?.some((d) => !DAYS.includes(String(d)))) return 'Invalid day of week.';
  if ((p.type === 'absoluteMonthly' || p.type === 'absoluteYearly') && !p.dayOfMonth)
    return 'dayOfMonth is required for this recurrence pattern.';
  if (p.type.endsWith('Yearly') && !p.month)
    return 'month is required for this recurrence pattern.';
  if (!g.type || !['endDate', 'noEnd', 'numbered'].includes(g.type))
    return `Invalid recurrence range type '${String(g.type)}'.`;
  if (!g.startDate || !/^\d{4}-\d{2}-\d{2}$/.test(g.startDate))
    return 'Recurrence range startDate is required (YYYY-MM-DD).';
  if (
    g.type === 'endDate' &&
    (!g.endDate || !/^\d{4}-\d{2}-\d{2}$/.test(g.endDate) || g.endDate < g.startDate)
  )
    return 'Recurrence range endDate is invalid.';
  if (
    g.type === 'numbered' &&
    (!Number.isInteger(g.numberOfOccurrences) || (g.numberOfOccurrences ?? 0) < 1)
  )
    return 'numberOfOccurrences must be a positive integer.';
  return undefined;
}

function nthWeekday(year: number, month: number, day: number, index: string): number | undefined {
  if (index === 'last') {
    const last = Date.UTC(year, month + 1, 0);
    const dow = new Date(last).getUTCDay();
    return last - ((dow - day + 7) % 7) * DAY_MS;
  }
  const n = ['first', 'second', 'third', 'fourth'].indexOf(index);
  const first = Date.UTC(year, month, 1);
  const dow = new Date(first).getUTCDay();
  const d = first + ((day - dow + 7) % 7) * DAY_MS + Math.max(0, n) * 7 * DAY_MS;
  return new Date(d).getUTCMonth() === month ? d : undefined;
}

/** All occurrence dates up to `until` (ms, inclusive of dates < until), capped. */
export function expand(r: MG.PatternedRecurrence, untilMs: number, cap = 5000): string[] {
  const p = r.pattern!;
  const g = r.range!;
  const interval = p.interval ?? 1;
  const start = parseYmd(g.startDate!);
  const end = g.type === 'endDate' ? parseYmd(g.endDate!) : Infinity;
  const max = g.type === 'numbered' ? g.numberOfOccurrences! : Infinity;
  const out: string[] = [];
  const push = (ms: number): boolean => {
    if (ms < start) return true;
    if (ms > end || ms >= untilMs || out.length >= max || out.length >= cap) return false;
    out.push(ymd(ms));
    return true;
  };
  const days = (p.daysOfWeek ?? []).map((d) => DAYS.indexOf(String(d))).sort((a, b) => a - b);
  const sd = new Date(start);
  switch (p.type) {
    case 'daily':
      for (let t = start; ; t += interval * DAY_MS) if (!push(t)) break;
      break;
    case 'weekly': {
      const fdw = DAYS.indexOf(String(p.firstDayOfWeek ?? 'sunday'));
      const weekStart = start - ((sd.getUTCDay() - fdw + 7) % 7) * DAY_MS;
      const order = days.map((d) => (d - fdw + 7) % 7).sort((a, b) => a - b);
      outer: for (let w = weekStart; ; w += interval * 7 * DAY_MS) {
        for (const off of order) if (!push(w + off * DAY_MS)) break outer;
        if (w > untilMs || w > end) break;
      }
      break;
    }
    case 'absoluteMonthly':
    case 'relativeMonthly':
    case 'absoluteYearly':
    case 'relativeYearly': {
      const yearly = p.type.endsWith('Yearly');
      const step = yearly ? 12 * interval : interval;
      let y = sd.getUTCFullYear();
      let m = yearly ? (p.month ?? 1) - 1 : sd.getUTCMonth();
      for (let i = 0; i < 2000; i++) {
        const cands: number[] = [];
        if (p.type.startsWith('absolute')) {
          const dim = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
          if ((p.dayOfMonth ?? 1) <= dim) cands.push(Date.UTC(y, m, p.dayOfMonth!));
        } else {
          for (const d of days) {
            const t = nthWeekday(y, m, d, String(p.index ?? 'first'));
            if (t !== undefined) cands.push(t);
          }
          cands.sort((a, b) => a - b);
        }
        let stop = false;
        for (const c of cands) if (!push(c)) stop = true;
        if (stop || Date.UTC(y, m, 1) > untilMs || Date.UTC(y, m, 1) > end) break;
        m += step;
        y += Math.floor(m / 12);
        m %= 12;
      }
      break;
    }
  }
  return out;
}
