/**
 * Outlook-style item ids. Graph ids of Outlook items are long URL-safe base64 strings
 * (starting "AAMk"); ours carry a payload and a checksum so that a mangled id is
 * recognised as malformed (400 ErrorInvalidIdMalformed) and a well-formed unknown id
 * as not found (404 ErrorItemNotFound).
 */
import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'AAMkA';

function checksum(payload: Buffer): Buffer {
  return createHash('sha256').update('m365-sim').update(payload).digest().subarray(0, 4);
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
