/**
 * Outlook-style item ids. Graph ids of Outlook items are long URL-safe base64 strings
 * (starting "AAMk"); ours carry a payload and a checksum so that a mangled id is
 * recognised as malformed (400 ErrorInvalidIdMalformed) and a well-formed unknown id
 * as not found (404 ErrorItemNotFound).
 *
 * EWS ids of the same items are a different string (standard base64, and a checksum of their
 * own), as Exchange's REST and EWS ids are: an id of one API is malformed in the other, and
 * `translateExchangeIds` converts between them. The stores keep the REST (Graph) form.
 */
import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'AAMkA';

function checksum(payload: Buffer, domain = 'm365-sim'): Buffer {
  return createHash('sha256').update(domain).update(payload).digest().subarray(0, 4);
}

const EWS_DOMAIN = 'm365-sim-ews';

/** The EWS id of the item whose Graph (REST) id is `restId`; undefined if that is malformed. */
export function toEwsId(restId: string): string | undefined {
  const p = decodeId(restId);
  return p && PREFIX + Buffer.concat([p, checksum(p, EWS_DOMAIN)]).toString('base64');
}

/** The Graph (REST) id of the item whose EWS id is `ewsId`; undefined if that is malformed. */
export function fromEwsId(ewsId: string): string | undefined {
  if (typeof ewsId !== 'string' || !ewsId.startsWith(PREFIX) || ewsId.length > 400)
    return undefined;
  const body = ewsId.slice(PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return undefined;
  const raw = Buffer.from(body, 'base64');
  if (raw.length < 5 || raw.toString('base64') !== body) return undefined;
  const payload = raw.subarray(0, raw.length - 4);
  if (!checksum(payload, EWS_DOMAIN).equals(raw.subarray(raw.length - 4))) return undefined;
  return encodeId(payload);
}

export function encodeId(payload: Buffer): string {
  return PREFIX + Buffer.concat([payload, checksum(payload)]).toString('base64url') + '=';
}

/** Returns the payload, or undefined when the id is malformed. */
export function decodeId(id: string): Buffer | undefined {
  if (typeof id !== 'string' || !id.startsWith(PREFIX) || !id.endsWith('=') || id.length > 400)
    return undefined;
  const body = id.slice(PREFIX.length, -1);
  if (!/^[A-Za-z0-9_-]+$/.test(body)) return undefined;
  const raw = Buffer.from(body, 'base64url');
  if (raw.length < 5 || raw.toString('base64url') !== body) return undefined;
  const payload = raw.subarray(0, raw.length - 4);
  if (!checksum(payload).equals(raw.subarray(raw.length - 4))) return undefined;
  return payload;
}

export function newItemId(bytes?: Buffer): string {
  return encodeId(bytes ?? randomBytes(16));
}

/** Occurrence ids: master payload (16 bytes) + 'YYYYMMDD'. */
export function occurrenceId(masterId: string, date: string): string {
  const p = decodeId(masterId);
  if (!p) throw new Error('bad master id');
  return encodeId(Buffer.concat([p, Buffer.from(date.replace(/-/g, ''), 'ascii')]));
}

export function parseOccurrenceId(id: string): { masterId: string; date: string } | undefined {
  const p = decodeId(id);
  if (!p || p.length !== 24) return undefined;
  const d = p.subarray(16).toString('ascii');
  if (!/^\d{8}$/.test(d)) return undefined;
  return {
    masterId: encodeId(p.subarray(0, 16)),
    date: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`,
  };
}

export const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function changeKey(): string {
  return randomBytes(12).toString('base64');
}
