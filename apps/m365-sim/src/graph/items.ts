/** Shared helpers for Outlook items: extended properties, $expand, body validation, etags. */
import { GraphError, E } from './errors';
import { decodeId } from '../core/ids';
import type { ExtProp } from '../store/model';
import type { Ctx } from './types';

const EXT_ID_RE =
  /^(String|Integer|Boolean|SystemTime|Binary|CLSID|Currency|Double|Float|Long|Short|Object)\s+(\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}\s+(Name\s+\S.*|Id\s+0x[0-9a-f]+)|0x[0-9a-f]{1,4})$/i;

export function normExtId(id: string): string {
  return id.trim().replace(/\s+/g, ' ').toLowerCase();
}

export function parseExtProps(v: unknown): ExtProp[] {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v))
    throw new GraphError(
      400,
      'RequestBodyRead',
      "An unexpected 'StartObject' node was found when reading from the JSON reader. A 'StartArray' node was expected.",
    );
  return v.map((p) => {
    if (!p || typeof p !== 'object')
      throw new GraphError(400, 'RequestBodyRead', 'Invalid extended property.');
    const { id, value, ...rest } = p as Record<string, unknown>;
    for (const k of Object.keys(rest))
      if (k !== '@odata.type')
        throw E.unknownProperty(k, 'Microsoft.OutlookServices.SingleValueLegacyExtendedProperty');
    if (typeof id !== 'string' || !EXT_ID_RE.test(id.trim())) {
      throw new GraphError(
        400,
        'ErrorInvalidProperty',
        `The property id '${String(id)}' is not valid.`,
      );
    }
    if (value !== null && typeof value !== 'string') {
      throw new GraphError(
        400,
        'RequestBodyRead',
        `Cannot convert the literal '${String(value)}' to the expected type 'Edm.String'.`,
      );
    }
    return { id: id.trim(), value: value as string };
  });
}

export function mergeExt(current: ExtProp[], updates: ExtProp[]): ExtProp[] {
  const out = [...current];
  for (const u of updates) {
    const i = out.findIndex((x) => normExtId(x.id) === normExtId(u.id));
    if (u.value === null) {
      if (i >= 0) out.splice(i, 1);
    } else if (i >= 0) out[i] = u;
    else out.push(u);
  }
  return out;
}

/** $expand=singleValueExtendedProperties($filter=id eq '...' [or id eq '...']) -> matcher */
export function parseExpand(ctx: Ctx, allowed = true): ((p: ExtProp) => boolean) | undefined {
  const ex = ctx.req.query.get('$expand');
  if (!ex) return undefined;
  if (!allowed)
    throw new GraphError(
      400,
      'ErrorInvalidUrlQuery',
      "The following parameters are not supported with change tracking over the 'Contacts' resource: '$expand'.",
    );
  const m = /^singleValueExtendedProperties(?:\((.*)\))?$/i.exec(ex.trim());
  if (!m)
    throw new GraphError(
      400,
      'BadRequest',
      `Parsing OData Select and Expand failed: Could not find a property named '${ex.split('(')[0]}' on type 'Microsoft.OutlookServices.Item'.`,
    );
  if (!m[1]) return () => true;
  const fm = /^\$filter=(.*)$/i.exec(m[1].trim());
  if (!fm) throw new GraphError(400, 'BadRequest', 'Invalid $expand options.');
  const ids: string[] = [];
  for (const part of fm[1].split(/\s+or\s+/i)) {
    const im = /^\s*id\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(part);
    if (!im)
      throw new GraphError(
        400,
        'ErrorInvalidUrlQueryFilter',
        "The extended property filter supports only 'id eq' clauses.",
      );
    ids.push(normExtId(im[1].replace(/''/g, "'")));
  }
  return (p) => ids.includes(normExtId(p.id));
}

export function withExt(
  view: Record<string, unknown>,
  ext: readonly ExtProp[],
  match: ((p: ExtProp) => boolean) | undefined,
): Record<string, unknown> {
  if (!match) return view;
  const props = ext.filter(match);
  if (props.length)
    view.singleValueExtendedProperties = props.map((p) => ({ id: p.id, value: p.value }));
  return view;
}

export function checkId(id: string): void {
  if (!decodeId(id)) throw E.malformedId();
}

export function checkKeys(body: Record<string, unknown>, allowed: Set<string>, type: string): void {
  for (const k of Object.keys(body)) {
    if (k.startsWith('@odata.')) continue;
    if (!allowed.has(k)) throw E.unknownProperty(k, type);
  }
}

export function asObject(v: unknown): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    throw new GraphError(400, 'BadRequest', 'Empty Payload. JSON content expected.');
  }
  return v as Record<string, unknown>;
}

/** Minimal type checks: strings, string arrays, objects. */
export function checkTypes(
  body: Record<string, unknown>,
  strings: string[],
  stringArrays: string[],
  objects: string[] = [],
): void {
  for (const k of strings) {
    const v = body[k];
    if (v !== undefined && v !== null && typeof v !== 'string') {
      throw new GraphError(
        400,
        'RequestBodyRead',
        `Cannot convert the literal '${JSON.stringify(v)}' to the expected type 'Edm.String'.`,
      );
    }
  }
  for (const k of stringArrays) {
    const v = body[k];
    if (v === undefined || v === null) continue;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' && x !== null)) {
      throw new GraphError(
        400,
        'RequestBodyRead',
        `Cannot convert the value of property '${k}' to a collection of 'Edm.String'.`,
      );
    }
  }
  for (const k of objects) {
    const v = body[k];
    if (v !== undefined && v !== null && (typeof v !== 'object' || Array.isArray(v))) {
      throw new GraphError(
        400,
        'RequestBodyRead',
        `An unexpected '${Array.isArray(v) ? 'StartArray' : 'PrimitiveValue'}' node was found when reading property '${k}'. A 'StartObject' node was expected.`,
      );
    }
  }
}

export function etag(changeKey: string | null | undefined): string {
  return `W/"${changeKey ?? ''}"`;
}

/**
 * `If-Match` on an update or delete: the item's `@odata.etag` (weak or not) or `*` passes; any
 * other value is a stale change key and answers 412, as Exchange does for a change key that no
 * longer matches (ErrorIrresolvableConflict).
 */
export function checkIfMatch(ctx: Ctx, changeKey: string | null | undefined): void {
  const h = ctx.req.headers['if-match'];
  if (h === undefined) return;
  const current = changeKey ?? '';
  const ok = h.split(',').some((raw) => {
    const t = raw.trim();
    if (t === '*') return true;
    const m = /^(?:W\/)?"(.*)"$/.exec(t);
    return (m ? m[1] : t) === current;
  });
  if (!ok)
    throw new GraphError(
      412,
      'ErrorIrresolvableConflict',
      'The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.',
    );
}

export function pageParams(ctx: Ctx, def: number, max: number): { top: number; skip: number } {
  const q = ctx.req.query;
  const prefer = /odata\.maxpagesize=(\d+)/i.exec(ctx.req.headers['prefer'] ?? '');
  let top = prefer ? Number(prefer[1]) : def;
  const t = q.get('$top');
  if (t !== null) {
    const n = Number(t);
    if (!Number.isInteger(n) || n < 0 || n > max)
      throw new GraphError(
        400,
        'ErrorInvalidUrlQuery',
        `The value '${t}' of the query option '$top' is invalid.`,
      );
    top = n;
  }
  const s = q.get('$skip');
  let skip = 0;
  if (s !== null) {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 0)
      throw new GraphError(
        400,
        'ErrorInvalidUrlQuery',
        `The value '${s}' of the query option '$skip' is invalid.`,
      );
    skip = n;
  }
  return { top: Math.max(1, Math.min(top, max)), skip };
}
