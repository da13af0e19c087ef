/**
 * Source paths: how a mapping or a filter points into a source record (plain JSON).
 *
 *   mail                                   a property
 *   onPremisesExtensionAttributes.extensionAttribute1   nested properties
 *   addresses[0].city                      an element of an array
 *   phones[type=business].number           the elements whose `type` equals `business`
 *                                          (case-insensitive), then their `number`
 *
 * Arrays met on the way are walked element by element, so `otherMails` yields each address and
 * `emailAddresses.address` each address of an Outlook contact. A record key that equals the
 * whole path wins (flat CSV columns such as `businessAddress.city`).
 */
export type SourcePathSelector =
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'match'; readonly key: string; readonly value: string };

export interface SourcePathSegment {
  readonly name: string;
  readonly selector?: SourcePathSelector;
}

export type ParsedSourcePath =
  | { readonly ok: true; readonly segments: readonly SourcePathSegment[] }
  | { readonly ok: false; readonly error: string };

const NAME = /^[A-Za-z0-9_$@-]+$/;
const MATCH = /^([A-Za-z0-9_$@-]+)=(.+)$/;

export function parseSourcePath(path: string): ParsedSourcePath {
  if (typeof path !== 'string' || path.trim() === '') return { ok: false, error: 'path is empty' };
  const segments: SourcePathSegment[] = [];
  let rest = path;
  while (true) {
    const match = /^([^.[\]]*)(?:\[([^\]]*)\])?/.exec(rest);
    const name = match?.[1] ?? '';
    if (!NAME.test(name)) {
      return {
        ok: false,
        error: `bad segment "${name}" in "${path}" (letters, digits, _ $ @ - only)`,
      };
    }
    const inside = match?.[2];
    let selector: SourcePathSelector | undefined;
    if (inside !== undefined) {
      const pair = MATCH.exec(inside.trim());
      if (/^\d+$/.test(inside.trim())) selector = { kind: 'index', index: Number(inside.trim()) };
      else if (pair) selector = { kind: 'match', key: pair[1]!, value: pair[2]!.trim() };
      else
        return {
          ok: false,
          error: `bad selector "[${inside}]" in "${path}" (use [0] or [key=value])`,
        };
    }
    segments.push(selector ? { name, selector } : { name });
    rest = rest.slice(match?.[0].length ?? 0);
    if (rest === '') break;
    if (!rest.startsWith('.') || rest.length === 1) {
      return { ok: false, error: `unexpected "${rest}" in "${path}"` };
    }
    rest = rest.slice(1);
  }
  return { ok: true, segments };
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function selectorMatches(element: unknown, key: string, expected: string): boolean {
  if (!isRecord(element)) return false;
  const actual = element[key];
  return (
    (typeof actual === 'string' || typeof actual === 'number' || typeof actual === 'boolean') &&
    String(actual).trim().toLowerCase() === expected.toLowerCase()
  );
}

const parsedCache = new Map<string, ParsedSourcePath>();

function parseCached(path: string): ParsedSourcePath {
  let parsed = parsedCache.get(path);
  if (!parsed) {
    parsed = parseSourcePath(path);
    // Paths come from a handful of mappings; the bound only guards against unbounded input.
    if (parsedCache.size < 10_000) parsedCache.set(path, parsed);
  }
  return parsed;
}

/**
 * Every value the path reaches in the record, arrays flattened one level, `null`/`undefined`
 * left out. An invalid path reaches nothing (validate mappings and filters before use).
 */
export function resolveSourcePath(
  record: Readonly<Record<string, unknown>>,
  path: string,
): unknown[] {
  const flat = (values: readonly unknown[]): unknown[] =>
    values.flatMap((v) => (Array.isArray(v) ? (v as unknown[]) : [v])).filter((v) => v != null);
  if (Object.prototype.hasOwnProperty.call(record, path)) return flat([record[path]]);
  const parsed = parseCached(path);
  if (!parsed.ok) return [];
  let current: unknown[] = [record];
  for (const segment of parsed.segments) {
    const next: unknown[] = [];
    for (const holder of flat(current)) {
      if (!isRecord(holder)) continue;
      const value = holder[segment.name];
      if (value == null) continue;
      const selector = segment.selector;
      if (!selector) {
        next.push(value);
        continue;
      }
      const elements = Array.isArray(value) ? (value as unknown[]) : [value];
      if (selector.kind === 'index') {
        const element = elements[selector.index];
        if (element != null) next.push(element);
      } else {
        next.push(...elements.filter((e) => selectorMatches(e, selector.key, selector.value)));
      }
    }
    current = next;
  }
  return flat(current);
}
