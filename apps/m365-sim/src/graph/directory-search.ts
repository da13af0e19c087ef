/**
 * `$search` on directory objects (users), as Microsoft documents it
 * (https://learn.microsoft.com/graph/search-query-parameter#using-search-on-directory-object-collections):
 * clauses `"property:value"`, each in double quotes, joined by `AND` / `OR`; `displayName` and
 * `description` are tokenized (split on spaces, symbols, case changes and digits; a term matches
 * a token it starts), any other string property is matched like `startswith`; case is ignored.
 * The `ConsistencyLevel: eventual` header is the caller's to check.
 */
import { GraphError } from './errors';

const TOKENIZED = new Set(['displayname', 'description']);

interface Clause {
  property: string;
  term: string;
}

/** A predicate over a directory object's properties, or a 400 as Graph answers a bad $search. */
export function parseDirectorySearch(
  search: string,
  propertyName: (name: string) => string | undefined,
): (record: Record<string, unknown>) => boolean {
  const groups: Clause[][] = [[]];
  const re = /\s*"([^"]*)"\s*(?:(AND|OR)(?=\s*")|$)/y;
  let at = 0;
  let m: RegExpExecArray | null;
  while (at < search.length && (m = re.exec(search))) {
    at = re.lastIndex;
    const colon = m[1].indexOf(':');
    if (colon < 1) throw syntax(search);
    const property = propertyName(m[1].slice(0, colon).trim());
    if (!property)
      throw new GraphError(
        400,
        'Request_UnsupportedQuery',
        `Unsupported or invalid search clause specified for property '${m[1].slice(0, colon)}'.`,
      );
    groups[groups.length - 1].push({ property, term: m[1].slice(colon + 1).toLowerCase() });
    if (m[2] === 'OR') groups.push([]);
  }
  if (at < search.length || groups.some((g) => !g.length)) throw syntax(search);
  // AND binds tighter than OR.
  return (record) => groups.some((all) => all.every((c) => matches(c, record[c.property])));
}

function matches(clause: Clause, value: unknown): boolean {
  const values = (Array.isArray(value) ? value : [value]).filter(
    (v): v is string => typeof v === 'string',
  );
  if (!TOKENIZED.has(clause.property.toLowerCase()))
    return values.some((v) => v.toLowerCase().startsWith(clause.term));
  const terms = tokens(clause.term);
  return values.some((v) => {
    const have = tokens(v);
    return terms.every((t) => have.some((h) => h.startsWith(t)));
  });
}

/** Tokens: runs of letters split where lower case turns upper, and runs of digits. */
export function tokens(text: string): string[] {
  return (text.match(/\p{Lu}?\p{Ll}+|\p{Lu}+(?!\p{Ll})|\p{L}+|\p{N}+/gu) ?? []).map((t) =>
    t.toLowerCase(),
  );
}

function syntax(search: string): GraphError {
  return new GraphError(
    400,
    'Request_UnsupportedQuery',
    `Syntax error: the $search value '${search}' is not valid. Put each clause in double quotes, e.g. "displayName:adele".`,
  );
}
