/** A JSON value; objects are written with sorted keys so equal data gives equal text. */
export type CanonicalValue =
  | string
  | number
  | boolean
  | null
  | readonly CanonicalValue[]
  | { readonly [key: string]: CanonicalValue };

/** JSON with object keys sorted at every level; `undefined` members are left out. */
export function canonicalJson(value: CanonicalValue | undefined): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    return `[${(value as readonly CanonicalValue[]).map((v) => canonicalJson(v)).join(',')}]`;
  }
  const record = value as { readonly [key: string]: CanonicalValue | undefined };
  const members = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${members.join(',')}}`;
}
