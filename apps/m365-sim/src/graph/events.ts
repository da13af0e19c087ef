/**
 * Calendars and events: CRUD, recurrence (series master, occurrences, exceptions,
 * cancelled occurrences), transactionId idempotency, calendarView, instances,
 * calendarView delta, categories.
 */
import type * as MG from '@microsoft/microsoft-graph-types';
import { E, GraphError } from './errors';
import { changeKey, decodeId, newItemId, occurrenceId, parseOccurrenceId } from '../core/ids';
import type { Mailbox, StoredEvent } from '../store/model';
import {
  decodeToken,
  encodeToken,
  evaluate,
  link,
  parseFilter,
  parseSelect,
  project,
} from './odata';
import {
  asObject,
  checkId,
  checkIfMatch,
  checkKeys,
  checkTypes,
  etag,
  mergeExt,
  pageParams,
  parseExpand,
  parseExtProps,
  withExt,
} from './items';
import {
  noContent,
  ok,
  READ_CALENDARS,
  WRITE_CALENDARS,
  type Ctx,
  type GRes,
  type Route,
} from './types';
import { expand, parseYmd, validateRecurrence, ymd } from './recurrence';
import { ianaOf, utcToZoned, zonedToUtc } from './timezones';

const EVENT_TYPE = 'Microsoft.OutlookServices.Event';
const WRITABLE = new Set([
  'subject',
  'body',
  'start',
  'end',
  'location',
  'locations',
  'isAllDay',
  'recurrence',
  'showAs',
  'sensitivity',
  'importance',
  'categories',
  'isReminderOn',
  'reminderMinutesBeforeStart',
  'responseRequested',
  'attendees',
  'transactionId',
  'originalStartTimeZone',
  'originalEndTimeZone',
  'allowNewTimeProposals',
  'isOnlineMeeting',
  'onlineMeetingProvider',
  'hideAttendees',
  'singleValueExtendedProperties',
  'multiValueExtendedProperties',
  'isCancelled',
]);
const READONLY = [
  'id',
  'createdDateTime',
  'lastModifiedDateTime',
  'changeKey',
  'iCalUId',
  'type',
  'seriesMasterId',
  'originalStart',
  'bodyPreview',
  'webLink',
  'organizer',
  'isOrganizer',
  'responseStatus',
  'hasAttachments',
];
const SELECTABLE = new Set([...WRITABLE, ...READONLY].map((s) => s.toLowerCase()));

function nowIso(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Graph dateTime: no offset, interpreted in its timeZone (Windows or IANA name); an explicit offset wins. */
function parseDt(v: MG.DateTimeTimeZone | null | undefined, field: string): number {
  if (!v || typeof v !== 'object' || typeof v.dateTime !== 'string') {
    throw new GraphError(
      400,
      'ErrorPropertyValidationFailure',
      `At least one property failed validation: '${field}' is required.`,
    );
  }
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(
    v.dateTime.trim(),
  );
  if (!m)
    throw new GraphError(
      400,
      'ErrorInvalidRequest',
      `Cannot convert '${v.dateTime}' to a DateTime value for '${field}'.`,
    );
  let ms = Date.parse(
    `${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}${m[5] && m[5] !== 'Z' ? m[5] : 'Z'}`,
  );
  if (!m[5] && !Number.isNaN(ms)) ms = zonedToUtc(ms, ianaOf(v.timeZone));
  if (Number.isNaN(ms))
    throw new GraphError(
      400,
      'ErrorInvalidRequest',
      `Cannot convert '${v.dateTime}' to a DateTime value for '${field}'.`,
    );
  return ms;
}
function dt(ms: number): MG.DateTimeTimeZone {
  return { dateTime: new Date(ms).toISOString().replace(/\.\d{3}Z$/, '.0000000'), timeZone: 'UTC' };
}

/** Zone asked for by `Prefer: outlook.timezone="…"` for the request being answered (handlers are synchronous). */
let answerZone: { name: string; iana: string } | undefined;

function present(
  d: MG.DateTimeTimeZone | null | undefined,
): MG.DateTimeTimeZone | null | undefined {
  if (!answerZone || !d?.dateTime) return d;
  const ms = utcToZoned(Date.parse(d.dateTime.replace(/\.\d+$/, '') + 'Z'), answerZone.iana);
  return {
    dateTime: new Date(ms).toISOString().replace(/\.\d{3}Z$/, '.0000000'),
    timeZone: answerZone.name,
  };
}

function withZone(h: (ctx: Ctx) => GRes): (ctx: Ctx) => GRes {
  return (ctx) => {
    const m = /outlook\.timezone\s*=\s*"([^"]+)"/i.exec(ctx.req.headers['prefer'] ?? '');
    answerZone = m ? { name: m[1], iana: ianaOf(m[1]) } : undefined;
    try {
      return h(ctx);
    } finally {
      answerZone = undefined;
    }
  };
}

function validate(b: Record<string, unknown>, creating: boolean): void {
  checkKeys(b, WRITABLE, EVENT_TYPE);
  checkTypes(
    b,
    [
      'subject',
      'transactionId',
      'showAs',
      'sensitivity',
      'importance',
      'originalStartTimeZone',
      'originalEndTimeZone',
    ],
    ['categories'],
    ['body', 'start', 'end', 'location', 'recurrence'],
  );
  if (creating) {
    parseDt(b.start as MG.DateTimeTimeZone, 'Start');
    parseDt(b.end as MG.DateTimeTimeZone, 'End');
  } else {
    if (b.start !== undefined) parseDt(b.start as MG.DateTimeTimeZone, 'Start');
    if (b.end !== undefined) parseDt(b.end as MG.DateTimeTimeZone, 'End');
  }
  if (b.recurrence) {
    const err = validateRecurrence(b.recurrence as MG.PatternedRecurrence);
    if (err)
      throw new GraphError(
        400,
        'ErrorPropertyValidationFailure',
        `At least one property failed validation. ${err}`,
      );
  }
  if (b.attendees !== undefined && b.attendees !== null && !Array.isArray(b.attendees)) {
    throw new GraphError(
      400,
      'RequestBodyRead',
      "A 'StartArray' node was expected for property 'attendees'.",
    );
  }
}

function fields(b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(b)) {
    if (
      k === 'singleValueExtendedProperties' ||
      k === 'multiValueExtendedProperties' ||
      k.startsWith('@odata.')
    )
      continue;
    out[k] = v;
  }
  if (out.start) {
    const tz = (out.start as MG.DateTimeTimeZone).timeZone ?? 'UTC';
    if (out.originalStartTimeZone === undefined) out.originalStartTimeZone = tz;
    out.start = dt(parseDt(out.start as MG.DateTimeTimeZone, 'Start'));
  }
  if (out.end) {
    const tz = (out.end as MG.DateTimeTimeZone).timeZone ?? 'UTC';
    if (out.originalEndTimeZone === undefined) out.originalEndTimeZone = tz;
    out.end = dt(parseDt(out.end as MG.DateTimeTimeZone, 'End'));
  }
  if (out.body && typeof out.body === 'object')
    out.bodyPreview = String((out.body as MG.ItemBody).content ?? '')
      .replace(/<[^>]+>/g, '')
      .slice(0, 255);
  return out;
}

function checkOrder(e: MG.Event): void {
  if (parseDt(e.end, 'End') < parseDt(e.start, 'Start')) {
    throw new GraphError(
      400,
      'ErrorInvalidRequest',
      'The end time of the event must be on or after its start time.',
    );
  }
}

/**
 * An all-day event starts and ends at midnight, both in one time zone (the event resource:
 * "If true, regardless of whether it's a single-day or multi-day event, start and end time must
 * be set to midnight and be in the same time zone").
 */
function checkAllDay(e: MG.Event): void {
  if (e.isAllDay !== true) return;
  const zs = e.originalStartTimeZone ?? 'UTC';
  const ze = e.originalEndTimeZone ?? 'UTC';
  const midnight = (d: MG.DateTimeTimeZone | null | undefined, zone: string): boolean =>
    utcToZoned(parseDt(d, 'Start'), ianaOf(zone)) % 86_400_000 === 0;
  if (
    ianaOf(zs) !== ianaOf(ze) ||
    !midnight(e.start, zs) ||
    !midnight(e.end, ze) ||
    parseDt(e.end, 'End') <= parseDt(e.start, 'Start')
  )
    throw new GraphError(
      400,
      'ErrorPropertyValidationFailure',
      'At least one property failed validation. An all-day event must start and end at midnight in the same time zone.',
    );
}

/** Outlook's iCalUId: the global object id in upper-case hex (class id, date, then the item's own bytes). */
function iCalUIdOf(id: string): string {
  const own = (decodeId(id) ?? Buffer.alloc(16)).toString('hex').toUpperCase();
  const stamp = BigInt(Date.now()) * 10_000n + 116_444_736_000_000_000n; // FILETIME
  const le = Buffer.alloc(8);
  le.writeBigUInt64LE(stamp);
  return (
    '040000008200E00074C5B7101A82E008' +
    '00000000' +
    le.toString('hex').toUpperCase() +
    '0000000000000000' +
    (own.length / 2).toString(16).toUpperCase().padStart(2, '0') +
    '000000' +
    own
  );
}

function touch(mb: Mailbox, ev: StoredEvent): void {
  mb.seq++;
  ev.seq = mb.seq;
  ev.data.changeKey = changeKey();
  ev.data.lastModifiedDateTime = nowIso();
}

function calendarOf(ctx: Ctx): string {
  const mb = ctx.mailbox!;
  const c = ctx.params.calendar;
  if (c === undefined) return mb.defaultCalendarId;
  checkId(c);
  if (!mb.calendars.has(c)) throw E.itemNotFound();
  return c;
}

/** An event, an exception, or a (virtual) occurrence by id. */
function resolve(
  ctx: Ctx,
  id: string,
): { ev?: StoredEvent; occ?: { master: StoredEvent; date: string } } {
  checkId(id);
  const mb = ctx.mailbox!;
  const ev = mb.events.get(id);
  if (ev) return { ev };
  const o = parseOccurrenceId(id);
  if (o) {
    const master = mb.events.get(o.masterId);
    if (
      master &&
      master.data.type === 'seriesMaster' &&
      !master.cancelled.has(o.date) &&
      occurrenceDates(master, parseYmd(o.date) + 86400_000).includes(o.date)
    ) {
      return { occ: { master, date: o.date } };
    }
  }
  throw E.itemNotFound();
}

export function occurrenceDates(master: StoredEvent, untilMs: number): string[] {
  return expand(master.data.recurrence!, untilMs);
}

/** The series' wall-clock time of day in its own zone, so occurrences keep it across DST changes. */
function masterTimes(master: StoredEvent): { timeOfDay: number; duration: number; zone: string } {
  const s = parseDt(master.data.start, 'Start');
  const e = parseDt(master.data.end, 'End');
  let zone = 'UTC';
  try {
    zone = ianaOf(master.data.originalStartTimeZone);
  } catch {
    zone = 'UTC';
  }
  const local = utcToZoned(s, zone);
  return { timeOfDay: local - parseYmd(ymd(local)), duration: e - s, zone };
}

export function occurrenceData(master: StoredEvent, date: string): MG.Event & { id: string } {
  const { timeOfDay, duration, zone } = masterTimes(master);
  const s = zonedToUtc(parseYmd(date) + timeOfDay, zone);
  return {
    ...master.data,
    id: occurrenceId(master.data.id, date),
    type: 'occurrence',
    seriesMasterId: master.data.id,
    recurrence: null,
    start: dt(s),
    end: dt(s + duration),
    originalStart: new Date(s).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

function view(
  ev: { data: MG.Event; ext: { id: string; value: string }[] },
  select: string[] | undefined,
  match?: (p: { id: string; value: string }) => boolean,
): Record<string, unknown> {
  const data = answerZone
    ? { ...ev.data, start: present(ev.data.start), end: present(ev.data.end) }
    : ev.data;
  const v = {
    '@odata.etag': etag(ev.data.changeKey),
    ...project(
      data,
      select?.filter((s) => s.toLowerCase() !== 'singlevalueextendedproperties'),
      ['id'],
    ),
  };
  return withExt(v, ev.ext, match);
}

function checkSelect(select: string[] | undefined): void {
  for (const s of select ?? []) {
    if (!SELECTABLE.has(s.toLowerCase()) && s.toLowerCase() !== 'singlevalueextendedproperties') {
      throw new GraphError(
        400,
        'RequestBroker--ParseUri',
        `Could not find a property named '${s}' on type '${EVENT_TYPE}'.`,
      );
    }
  }
}

export interface Instance {
  data: MG.Event & { id: string };
  ext: { id: string; value: string }[];
  seq: number;
  startMs: number;
  endMs: number;
}

/** Instances (single, occurrence, exception) of one stored event overlapping [from, to). */
export function instancesOf(mb: Mailbox, ev: StoredEvent, from: number, to: number): Instance[] {
  const out: Instance[] = [];
  if (ev.data.type === 'exception') return out; // reached through the master
  if (ev.data.type !== 'seriesMaster') {
    const s = parseDt(ev.data.start, 'Start');
    const e = parseDt(ev.data.end, 'End');
    if (s < to && (e > from || (e === s && s >= from)))
      out.push({ data: ev.data, ext: ev.ext, seq: ev.seq, startMs: s, endMs: e });
    return out;
  }
  const { duration } = masterTimes(ev);
  for (const date of occurrenceDates(ev, to + 2 * 86400_000)) {
    if (ev.cancelled.has(date)) continue;
    const exId = ev.exceptions.get(date);
    if (exId) {
      const ex = mb.events.get(exId);
      if (ex) {
        const s = parseDt(ex.data.start, 'Start');
        const e = parseDt(ex.data.end, 'End');
        if (s < to && e > from)
          out.push({ data: ex.data, ext: ex.ext, seq: ex.seq, startMs: s, endMs: e });
        continue;
      }
    }
    const d = occurrenceData(ev, date);
    const s = parseDt(d.start, 'Start');
    if (s < to && s + duration > from)
      out.push({ data: d, ext: ev.ext, seq: ev.seq, startMs: s, endMs: s + duration });
  }
  return out;
}

function window(ctx: Ctx): { from: number; to: number } {
  const q = ctx.req.query;
  const s = q.get('startDateTime') ?? q.get('StartDateTime');
  const e = q.get('endDateTime') ?? q.get('EndDateTime');
  if (!s || !e) {
    throw new GraphError(
      400,
      'ErrorInvalidParameter',
      'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.',
    );
  }
  const from = Date.parse(/Z|[+-]\d\d:\d\d$/.test(s) ? s : s + 'Z');
  const to = Date.parse(/Z|[+-]\d\d:\d\d$/.test(e) ? e : e + 'Z');
  if (Number.isNaN(from) || Number.isNaN(to))
    throw new GraphError(
      400,
      'ErrorInvalidParameter',
      'The value of StartDateTime or EndDateTime is invalid.',
    );
  if (to < from)
    throw new GraphError(400, 'ErrorInvalidParameter', 'EndDateTime must be after StartDateTime.');
  return { from, to };
}

function calendarView(ctx: Ctx): GRes {
  const calId = calendarOf(ctx);
  const mb = ctx.mailbox!;
  const { from, to } = window(ctx);
  const select = parseSelect(ctx.req.query.get('$select'));
  checkSelect(select);
  const match = parseExpand(ctx);
  let all: Instance[] = [];
  for (const ev of mb.events.values())
    if (ev.calendarId === calId) all.push(...instancesOf(mb, ev, from, to));
  const f = ctx.req.query.get('$filter');
  if (f) {
    const info = parseFilter(f);
    all = all.filter((i) =>
      evaluate(info.node, { ...i.data, singleValueExtendedProperties: i.ext }),
    );
  }
  all.sort((a, b) => a.startMs - b.startMs || a.data.id.localeCompare(b.data.id));
  const { top, skip } = pageParams(ctx, 10, 1000);
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.base}/$metadata#users('${ctx.user!.user.id}')/calendarView`,
    value: all.slice(skip, skip + top).map((i) => view(i, select, match)),
  };
  if (skip + top < all.length)
    body['@odata.nextLink'] = link(ctx.base, ctx.req.path, ctx.req.query, {
      $top: String(top),
      $skip: String(skip + top),
    });
  return ok(body);
}

function calendarViewDelta(ctx: Ctx): GRes {
  const calId = calendarOf(ctx);
  const mb = ctx.mailbox!;
  const q = ctx.req.query;
  // event: delta "doesn't support $select, $expand, $filter" (nor $orderby, $search)
  const refused = ['$select', '$expand', '$filter', '$orderby', '$search'].filter(
    (k) => q.get(k) !== null,
  );
  if (refused.length) {
    throw new GraphError(
      400,
      'ErrorInvalidUrlQuery',
      `The following parameters are not supported with change tracking over the 'Events' resource: '${refused.join("', '")}'.`,
    );
  }
  const select = undefined;
  const prefer = /odata\.maxpagesize=(\d+)/i.exec(ctx.req.headers['prefer'] ?? '');
  const size = Math.max(1, Math.min(1000, prefer ? Number(prefer[1]) : 100));
  const tokStr = q.get('$deltatoken') ?? q.get('$skiptoken');
  const tnow = Date.now();
  let st: {
    base: number;
    snap: number;
    off: number;
    ts: number;
    e: number;
    from: number;
    to: number;
  };
  if (tokStr !== null) {
    const tok = decodeToken(tokStr);
    if (!tok || tok.k !== 'ed' || tok.c !== calId) throw E.syncStateNotFound();
    st = {
      base: Number(tok.base),
      snap: Number(tok.snap),
      off: Number(tok.off),
      ts: Number(tok.ts),
      e: Number(tok.e),
      from: Number(tok.from),
      to: Number(tok.to),
    };
    if (st.e !== mb.deltaEpoch || tnow - st.ts > ctx.sim.opts.deltaTokenTtlSeconds * 1000)
      throw E.syncStateNotFound();
    if (q.get('$deltatoken') !== null) st = { ...st, snap: mb.seq, off: 0, ts: tnow };
  } else {
    const w = window(ctx);
    st = { base: -1, snap: mb.seq, off: 0, ts: tnow, e: mb.deltaEpoch, from: w.from, to: w.to };
  }
  const entries: Record<string, unknown>[] = [];
  for (const ev of mb.events.values()) {
    if (ev.calendarId !== calId) continue;
    for (const i of instancesOf(mb, ev, st.from, st.to)) {
      if (st.base < 0 || (i.seq > st.base && i.seq <= st.snap))
        entries.push({ '@odata.type': '#microsoft.graph.event', ...view(i, select) });
    }
  }
  if (st.base >= 0) {
    for (const t of mb.tombstones) {
      if (t.kind === 'event' && t.containerId === calId && t.seq > st.base && t.seq <= st.snap) {
        entries.push({
          '@odata.type': '#microsoft.graph.event',
          id: t.id,
          '@removed': { reason: 'deleted' },
        });
      }
    }
  }
  const page = entries.slice(st.off, st.off + size);
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.base}/$metadata#Collection(event)`,
    value: page,
  };
  const drop = [
    '$deltatoken',
    '$skiptoken',
    'startDateTime',
    'endDateTime',
    'StartDateTime',
    'EndDateTime',
  ];
  if (st.off + size < entries.length) {
    body['@odata.nextLink'] = link(
      ctx.base,
      ctx.req.path,
      q,
      { $skiptoken: encodeToken({ k: 'ed', c: calId, ...st, off: st.off + size }) },
      drop,
    );
  } else {
    body['@odata.deltaLink'] = link(
      ctx.base,
      ctx.req.path,
      q,
      {
        $deltatoken: encodeToken({
          k: 'ed',
          c: calId,
          ...st,
          base: st.snap,
          off: 0,
          ts: Date.now(),
        }),
      },
      drop,
    );
  }
  return ok(body);
}

function createEvent(ctx: Ctx): GRes {
  const mb = ctx.mailbox!;
  const calId = calendarOf(ctx);
  const b = asObject(ctx.json());
  validate(b, true);
  const txn = typeof b.transactionId === 'string' ? b.transactionId : undefined;
  if (txn) {
    const existing = mb.transactionIds.get(txn);
    const ev = existing ? mb.events.get(existing) : undefined;
    if (ev)
      return ok(
        {
          '@odata.context': `${ctx.base}/$metadata#users('${ctx.user!.user.id}')/events/$entity`,
          ...view(ev, undefined, () => true),
        },
        201,
      );
  }
  const ext = parseExtProps(b.singleValueExtendedProperties);
  const id = newItemId();
  const ts = nowIso();
  const u = ctx.user!.user;
  const data: MG.Event & { id: string } = {
    id,
    createdDateTime: ts,
    lastModifiedDateTime: ts,
    changeKey: changeKey(),
    categories: [],
    transactionId: null,
    originalStartTimeZone: 'UTC',
    originalEndTimeZone: 'UTC',
    iCalUId: iCalUIdOf(id),
    reminderMinutesBeforeStart: 15,
    isReminderOn: true,
    hasAttachments: false,
    subject: '',
    bodyPreview: '',
    importance: 'normal',
    sensitivity: 'normal',
    isAllDay: false,
    isCancelled: false,
    isDraft: false,
    hideAttendees: false,
    isOrganizer: true,
    responseRequested: true,
    seriesMasterId: null,
    showAs: 'busy',
    type: 'singleInstance',
    webLink: `${ctx.sim.baseUrl}/owa/?itemid=${encodeURIComponent(id)}`,
    onlineMeetingUrl: null,
    isOnlineMeeting: false,
    onlineMeetingProvider: 'unknown',
    allowNewTimeProposals: true,
    recurrence: null,
    responseStatus: { response: 'organizer', time: '0001-01-01T00:00:00Z' },
    body: { contentType: 'html', content: '' },
    start: undefined,
    end: undefined,
    location: { displayName: '', locationType: 'default', uniqueIdType: 'unknown' },
    locations: [],
    attendees: [],
    organizer: { emailAddress: { name: u.displayName, address: u.mail ?? u.userPrincipalName } },
    ...(fields(b) as MG.Event),
  };
  if (data.recurrence) data.type = 'seriesMaster';
  checkOrder(data);
  checkAllDay(data);
  mb.seq++;
  const ev: StoredEvent = {
    kind: 'event',
    data,
    calendarId: calId,
    ext,
    seq: mb.seq,
    exceptions: new Map(),
    cancelled: new Set(),
  };
  mb.events.set(id, ev);
  if (txn) mb.transactionIds.set(txn, id);
  const invitations = Array.isArray(data.attendees) ? data.attendees.length : 0;
  if (invitations) ctx.sim.stat('events.invitationsSent').count += invitations;
  return ok(
    {
      '@odata.context': `${ctx.base}/$metadata#users('${ctx.user!.user.id}')/events/$entity`,
      ...view(ev, undefined, () => true),
    },
    201,
  );
}

function getEvent(ctx: Ctx): GRes {
  const select = parseSelect(ctx.req.query.get('$select'));
  checkSelect(select);
  const r = resolve(ctx, ctx.params.event);
  const match = parseExpand(ctx);
  if (r.ev) return ok(view(r.ev, select, match));
  return ok(
    view(
      { data: occurrenceData(r.occ!.master, r.occ!.date), ext: r.occ!.master.ext },
      select,
      match,
    ),
  );
}

function updateEvent(ctx: Ctx): GRes {
  const mb = ctx.mailbox!;
  const b = asObject(ctx.json());
  validate(b, false);
  const r = resolve(ctx, ctx.params.event);
  const ext = parseExtProps(b.singleValueExtendedProperties);
  if (r.occ) {
    if (b.recurrence)
      throw new GraphError(
        400,
        'ErrorPropertyValidationFailure',
        'An occurrence cannot have a recurrence.',
      );
    // PATCH of an occurrence turns it into an exception with the same id
    const { master, date } = r.occ;
    const data = {
      ...occurrenceData(master, date),
      ...(fields(b) as MG.Event),
      type: 'exception' as const,
      changeKey: changeKey(),
      lastModifiedDateTime: nowIso(),
    };
    checkOrder(data);
    checkAllDay(data);
    mb.seq++;
    const ex: StoredEvent = {
      kind: 'event',
      data,
      calendarId: master.calendarId,
      ext: mergeExt(master.ext, ext),
      seq: mb.seq,
      exceptions: new Map(),
      cancelled: new Set(),
    };
    mb.events.set(data.id, ex);
    master.exceptions.set(date, data.id);
    return ok(view(ex, undefined));
  }
  const ev = r.ev!;
  checkIfMatch(ctx, ev.data.changeKey);
  const changed = fields(b);
  const next = { ...ev.data, ...changed } as MG.Event;
  checkOrder(next);
  checkAllDay(next);
  const before = { start: ev.data.start, rec: JSON.stringify(ev.data.recurrence ?? null) };
  Object.assign(ev.data, changed);
  if (b.recurrence === null && ev.data.type === 'seriesMaster') ev.data.type = 'singleInstance';
  if (b.recurrence && ev.data.type === 'singleInstance') ev.data.type = 'seriesMaster';
  if (b.recurrence && ev.data.type === 'exception')
    throw new GraphError(
      400,
      'ErrorPropertyValidationFailure',
      'An exception cannot have a recurrence.',
    );
  checkOrder(ev.data);
  ev.ext = mergeExt(ev.ext, ext);
  if (
    ev.data.type === 'seriesMaster' &&
    (JSON.stringify(ev.data.recurrence ?? null) !== before.rec ||
      JSON.stringify(ev.data.start) !== JSON.stringify(before.start))
  ) {
    // changing the pattern or the series time removes the exceptions, as Outlook does
    for (const exId of ev.exceptions.values()) mb.events.delete(exId);
    ev.exceptions.clear();
    ev.cancelled.clear();
  }
  touch(mb, ev);
  if (Array.isArray(b.attendees) && b.attendees.length)
    ctx.sim.stat('events.invitationsSent').count += b.attendees.length;
  return ok(view(ev, undefined));
}

function deleteEvent(ctx: Ctx): GRes {
  const mb = ctx.mailbox!;
  const r = resolve(ctx, ctx.params.event);
  if (r.ev) checkIfMatch(ctx, r.ev.data.changeKey);
  mb.seq++;
  if (r.occ) {
    r.occ.master.cancelled.add(r.occ.date);
    mb.tombstones.push({
      id: occurrenceId(r.occ.master.data.id, r.occ.date),
      containerId: r.occ.master.calendarId,
      seq: mb.seq,
      kind: 'event',
    });
    return noContent();
  }
  const ev = r.ev!;
  if (ev.data.type === 'exception' && ev.data.seriesMasterId) {
    const master = mb.events.get(ev.data.seriesMasterId);
    const o = parseOccurrenceId(ev.data.id);
    if (master && o) {
      master.cancelled.add(o.date);
      master.exceptions.delete(o.date);
    }
  }
  if (ev.data.type === 'seriesMaster') {
    for (const exId of ev.exceptions.values()) {
      mb.events.delete(exId);
      mb.tombstones.push({ id: exId, containerId: ev.calendarId, seq: mb.seq, kind: 'event' });
    }
  }
  mb.events.delete(ev.data.id);
  mb.tombstones.push({ id: ev.data.id, containerId: ev.calendarId, seq: mb.seq, kind: 'event' });
  if (ev.data.transactionId) mb.transactionIds.delete(ev.data.transactionId);
  return noContent();
}

function listEvents(ctx: Ctx): GRes {
  const calId = calendarOf(ctx);
  const select = parseSelect(ctx.req.query.get('$select'));
  checkSelect(select);
  const match = parseExpand(ctx);
  let items = [...ctx.mailbox!.events.values()].filter(
    (e) => e.calendarId === calId && e.data.type !== 'exception',
  );
  const f = ctx.req.query.get('$filter');
  if (f) {
    const info = parseFilter(f);
    items = items.filter((e) =>
      evaluate(info.node, { ...e.data, singleValueExtendedProperties: e.ext }),
    );
  }
  const { top, skip } = pageParams(ctx, 10, 1000);
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.base}/$metadata#users('${ctx.user!.user.id}')/events`,
    value: items.slice(skip, skip + top).map((e) => view(e, select, match)),
  };
  if (skip + top < items.length)
    body['@odata.nextLink'] = link(ctx.base, ctx.req.path, ctx.req.query, {
      $top: String(top),
      $skip: String(skip + top),
    });
  return ok(body);
}

function instances(ctx: Ctx): GRes {
  const mb = ctx.mailbox!;
  const r = resolve(ctx, ctx.params.event);
  if (!r.ev || r.ev.data.type !== 'seriesMaster')
    throw new GraphError(
      400,
      'ErrorInvalidRequest',
      'The specified event is not a recurring series master.',
    );
  const { from, to } = window(ctx);
  const select = parseSelect(ctx.req.query.get('$select'));
  const all = instancesOf(mb, r.ev, from, to).sort((a, b) => a.startMs - b.startMs);
  const { top, skip } = pageParams(ctx, 10, 1000);
  const body: Record<string, unknown> = {
    value: all.slice(skip, skip + top).map((i) => view(i, select)),
  };
  if (skip + top < all.length)
    body['@odata.nextLink'] = link(ctx.base, ctx.req.path, ctx.req.query, {
      $top: String(top),
      $skip: String(skip + top),
    });
  return ok(body);
}

/** A calendar as Graph answers it: `hexColor` ('' until a colour is set) and `owner` always present. */
function calendarViewOf(c: MG.Calendar, ctx: Ctx): Record<string, unknown> {
  const u = ctx.user!.user;
  return {
    hexColor: '',
    owner: { name: u.displayName, address: u.mail ?? u.userPrincipalName },
    ...c,
  };
}

export function eventRoutes(): Route[] {
  const U = '/users/{user}';
  const routes: Route[] = [];
  // Event delta in v1.0 is documented on the user's primary calendarView only
  // (https://learn.microsoft.com/graph/api/event-delta): no /calendar/… or /calendars/{id}/… form.
  routes.push({
    method: 'GET',
    pattern: `${U}/calendarView/delta`,
    op: 'events.delta',
    scope: 'mailbox',
    perms: READ_CALENDARS,
    handler: withZone(calendarViewDelta),
  });
  for (const cal of [`${U}`, `${U}/calendar`, `${U}/calendars/{calendar}`]) {
    routes.push(
      {
        method: 'GET',
        pattern: `${cal}/calendarView`,
        op: 'events.calendarView',
        scope: 'mailbox',
        perms: READ_CALENDARS,
        handler: withZone(calendarView),
      },
      {
        method: 'GET',
        pattern: `${cal}/events`,
        op: 'events.list',
        scope: 'mailbox',
        perms: READ_CALENDARS,
        handler: withZone(listEvents),
      },
      {
        method: 'POST',
        pattern: `${cal}/events`,
        op: 'events.create',
        scope: 'mailbox',
        perms: WRITE_CALENDARS,
        handler: withZone(createEvent),
      },
      {
        method: 'GET',
        pattern: `${cal}/events/{event}`,
        op: 'events.get',
        scope: 'mailbox',
        perms: READ_CALENDARS,
        handler: withZone(getEvent),
      },
      {
        method: 'PATCH',
        pattern: `${cal}/events/{event}`,
        op: 'events.update',
        scope: 'mailbox',
        perms: WRITE_CALENDARS,
        handler: withZone(updateEvent),
      },
      {
        method: 'DELETE',
        pattern: `${cal}/events/{event}`,
        op: 'events.delete',
        scope: 'mailbox',
        perms: WRITE_CALENDARS,
        handler: withZone(deleteEvent),
      },
      {
        method: 'GET',
        pattern: `${cal}/events/{event}/instances`,
        op: 'events.instances',
        scope: 'mailbox',
        perms: READ_CALENDARS,
        handler: withZone(instances),
      },
    );
  }
  routes.push(
    {
      method: 'GET',
      pattern: `${U}/calendars`,
      op: 'calendars.list',
      scope: 'mailbox',
      perms: READ_CALENDARS,
      handler: (ctx) => {
        let cals: MG.Calendar[] = [...ctx.mailbox!.calendars.values()];
        const f = ctx.req.query.get('$filter');
        if (f) {
          const info = parseFilter(f);
          cals = cals.filter((c) => evaluate(info.node, c));
        }
        return ok({
          '@odata.context': `${ctx.base}/$metadata#users('${ctx.user!.user.id}')/calendars`,
          value: cals.map((c) =>
            project(calendarViewOf(c, ctx), parseSelect(ctx.req.query.get('$select'))),
          ),
        });
      },
    },
    {
      method: 'POST',
      pattern: `${U}/calendars`,
      op: 'calendars.create',
      scope: 'mailbox',
      perms: WRITE_CALENDARS,
      handler: (ctx) => {
        const b = asObject(ctx.json());
        checkKeys(
          b,
          new Set(['name', 'color', 'hexColor', 'isDefaultCalendar']),
          'Microsoft.OutlookServices.Calendar',
        );
        checkTypes(b, ['name', 'color', 'hexColor'], []);
        const name = (b.name as string | undefined)?.trim();
        if (!name)
          throw new GraphError(400, 'ErrorInvalidRequest', 'The calendar name must be specified.');
        const mb = ctx.mailbox!;
        for (const c of mb.calendars.values())
          if (c.name?.toLowerCase() === name.toLowerCase())
            throw new GraphError(
              409,
              'ErrorFolderExists',
              'A folder with the specified name already exists.',
            );
        const id = newItemId();
        const u = ctx.user!.user;
        const cal: MG.Calendar & { id: string } = {
          id,
          name,
          color: (b.color as MG.CalendarColor) ?? 'auto',
          hexColor: '',
          isDefaultCalendar: false,
          changeKey: changeKey(),
          canShare: true,
          canViewPrivateItems: true,
          canEdit: true,
          allowedOnlineMeetingProviders: ['teamsForBusiness'],
          defaultOnlineMeetingProvider: 'teamsForBusiness',
          isTallyingResponses: true,
          isRemovable: true,
          owner: { name: u.displayName, address: u.mail ?? u.userPrincipalName },
        };
        mb.calendars.set(id, cal);
        return ok(calendarViewOf(cal, ctx), 201);
      },
    },
    {
      method: 'GET',
      pattern: `${U}/calendar`,
      op: 'calendars.get',
      scope: 'mailbox',
      perms: READ_CALENDARS,
      handler: (ctx) =>
        ok(calendarViewOf(ctx.mailbox!.calendars.get(ctx.mailbox!.defaultCalendarId)!, ctx)),
    },
    {
      method: 'GET',
      pattern: `${U}/calendars/{calendar}`,
      op: 'calendars.get',
      scope: 'mailbox',
      perms: READ_CALENDARS,
      handler: (ctx) => ok(calendarViewOf(ctx.mailbox!.calendars.get(calendarOf(ctx))!, ctx)),
    },
    {
      method: 'PATCH',
      pattern: `${U}/calendars/{calendar}`,
      op: 'calendars.update',
      scope: 'mailbox',
      perms: WRITE_CALENDARS,
      handler: (ctx) => {
        const c = ctx.mailbox!.calendars.get(calendarOf(ctx))!;
        const b = asObject(ctx.json());
        checkKeys(
          b,
          new Set(['name', 'color', 'hexColor', 'isDefaultCalendar']),
          'Microsoft.OutlookServices.Calendar',
        );
        checkTypes(b, ['name', 'color', 'hexColor'], []);
        if (typeof b.name === 'string') c.name = b.name;
        if (typeof b.color === 'string') c.color = b.color as MG.CalendarColor;
        if (typeof b.hexColor === 'string') c.hexColor = b.hexColor;
        return ok(calendarViewOf(c, ctx));
      },
    },
    {
      method: 'DELETE',
      pattern: `${U}/calendars/{calendar}`,
      op: 'calendars.delete',
      scope: 'mailbox',
      perms: WRITE_CALENDARS,
      handler: (ctx) => {
        const mb = ctx.mailbox!;
        const id = calendarOf(ctx);
        if (id === mb.defaultCalendarId)
          throw new GraphError(
            400,
            'ErrorInvalidRequest',
            'The default calendar cannot be deleted.',
          );
        for (const ev of [...mb.events.values()])
          if (ev.calendarId === id) mb.events.delete(ev.data.id);
        mb.calendars.delete(id);
        return noContent();
      },
    },
    {
      method: 'GET',
      pattern: `${U}/outlook/masterCategories`,
      op: 'categories.list',
      scope: 'mailbox',
      perms: READ_MAILBOX_OR_CAL,
      handler: (ctx) =>
        ok({
          '@odata.context': `${ctx.base}/$metadata#users('${ctx.user!.user.id}')/outlook/masterCategories`,
          value: [...ctx.mailbox!.categories.values()],
        }),
    },
    {
      method: 'POST',
      pattern: `${U}/outlook/masterCategories`,
      op: 'categories.create',
      scope: 'mailbox',
      perms: WRITE_MAILBOX_OR_CAL,
      handler: (ctx) => {
        const b = asObject(ctx.json());
        checkKeys(
          b,
          new Set(['displayName', 'color']),
          'Microsoft.OutlookServices.OutlookCategory',
        );
        checkTypes(b, ['displayName', 'color'], []);
        const name = (b.displayName as string | undefined)?.trim();
        if (!name) throw new GraphError(400, 'ErrorInvalidRequest', 'displayName is required.');
        const mb = ctx.mailbox!;
        for (const c of mb.categories.values())
          if (c.displayName?.toLowerCase() === name.toLowerCase())
            throw new GraphError(
              409,
              'ErrorItemWithSameNameAlreadyExists',
              'An item with the same name already exists.',
            );
        const id = newItemId().slice(5, 41);
        const cat: MG.OutlookCategory & { id: string } = {
          id,
          displayName: name,
          color: (b.color as MG.CategoryColor) ?? 'preset0',
        };
        mb.categories.set(id, cat);
        return ok(cat, 201);
      },
    },
    {
      method: 'DELETE',
      pattern: `${U}/outlook/masterCategories/{category}`,
      op: 'categories.delete',
      scope: 'mailbox',
      perms: WRITE_MAILBOX_OR_CAL,
      handler: (ctx) => {
        if (!ctx.mailbox!.categories.delete(ctx.params.category)) throw E.itemNotFound();
        return noContent();
      },
    },
  );
  return routes;
}

// masterCategories need MailboxSettings permissions (learn.microsoft.com/graph/api/outlookuser-post-mastercategories)
const READ_MAILBOX_OR_CAL = ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'];
const WRITE_MAILBOX_OR_CAL = ['MailboxSettings.ReadWrite'];
