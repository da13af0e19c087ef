/** OData query helpers: a $filter subset parser/evaluator, $select, paging tokens. */
import { GraphError } from './errors';

type Tok = { t: 'id' | 'str' | 'num' | 'op' | 'punct' | 'kw'; v: string };

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= s.length) throw new Error('unterminated string');
        if (s[i] === "'") {
          if (s[i + 1] === "'") {
            v += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += s[i++];
      }
      out.push({ t: 'str', v });
      continue;
    }
    if ('(),:'.includes(c)) {
      out.push({ t: 'punct', v: c });
      i++;
      continue;
    }
    const m = /^[A-Za-z_$@][A-Za-z0-9_$@.\-/]*/.exec(s.slice(i));
    if (m) {
      const w = m[0];
      const lw = w.toLowerCase();
      if (['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'in'].includes(lw)) out.push({ t: 'op', v: lw });
      else if (['and', 'or', 'not', 'true', 'false', 'null'].includes(lw))
        out.push({ t: 'kw', v: lw });
      else out.push({ t: 'id', v: w });
      i += w.length;
      continue;
    }
    const n = /^-?\d+(\.\d+)?/.exec(s.slice(i));
    if (n) {
      out.push({ t: 'num', v: n[0] });
      i += n[0].length;
      continue;
    }
    // guid literal
    const g = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.exec(s.slice(i));
    if (g) {
      out.push({ t: 'str', v: g[0] });
      i += g[0].length;
      continue;
    }
    throw new Error(`unexpected '${c}'`);
  }
  return out;
}

export type Node =
  | { k: 'and' | 'or'; a: Node; b: Node }
  | { k: 'not'; a: Node }
  | { k: 'cmp'; op: string; path: string; value: unknown }
  | { k: 'in'; path: string; values: unknown[] }
  | { k: 'fn'; fn: string; path: string; value: string }
  | { k: 'any'; path: string; v: string; body: Node | null };

export interface FilterInfo {
  node: Node;
  /** uses what directory objects support only in advanced queries (ne, not, endsWith, /$count) */
  advanced: boolean;
  /** which of those, for the error message (e.g. `endsWith`, `ne`, `$count`) */
  advancedOps: string[];
}

export function parseFilter(src: string): FilterInfo {
  let toks: Tok[];
  try {
    toks = tokenize(src);
  } catch (e) {
    throw new GraphError(400, 'BadRequest', `Invalid filter clause: ${(e as Error).message}`);
  }
  let p = 0;
  const advancedOps: string[] = [];
  const markAdvanced = (op: string) => {
    if (!advancedOps.includes(op)) advancedOps.push(op);
  };
  const peek = () => toks[p];
  const fail = (msg: string): never => {
    throw new GraphError(400, 'BadRequest', `Invalid filter clause: ${msg}`);
  };
  const expect = (v: string) => {
    const t = toks[p++];
    if (!t || t.v !== v) fail(`expected '${v}'`);
  };
  const literal = (): unknown => {
    const t = toks[p++];
    if (!t) return fail('unexpected end');
    if (t.t === 'str') return t.v;
    if (t.t === 'num') return Number(t.v);
    if (t.t === 'kw' && t.v === 'true') return true;
    if (t.t === 'kw' && t.v === 'false') return false;
    if (t.t === 'kw' && t.v === 'null') return null;
    return fail(`unexpected '${t.v}'`);
  };
  const orE = (): Node => {
    let a = andE();
    while (peek()?.t === 'kw' && peek().v === 'or') {
      p++;
      a = { k: 'or', a, b: andE() };
    }
    return a;
  };
  const andE = (): Node => {
    let a = unary();
    while (peek()?.t === 'kw' && peek().v === 'and') {
      p++;
      a = { k: 'and', a, b: unary() };
    }
    return a;
  };
  const unary = (): Node => {
    if (peek()?.t === 'kw' && peek().v === 'not') {
      p++;
      markAdvanced('not');
      return { k: 'not', a: unary() };
    }
    return primary();
  };
  const primary = (): Node => {
    const t = peek();
    if (!t) return fail('unexpected end');
    if (t.t === 'punct' && t.v === '(') {
      p++;
      const n = orE();
      expect(')');
      return n;
    }
    if (t.t !== 'id') return fail(`unexpected '${t.v}'`);
    p++;
    const name = t.v;
    const lname = name.toLowerCase();
    if (peek()?.v === '(' && ['startswith', 'endswith', 'contains'].includes(lname)) {
      p++;
      const pt = toks[p++];
      if (!pt || pt.t !== 'id') fail('expected a property');
      expect(',');
      const v = literal();
      expect(')');
      if (typeof v !== 'string') fail('expected a string');
      if (lname !== 'startswith') markAdvanced(lname === 'endswith' ? 'endsWith' : lname);
      return { k: 'fn', fn: lname, path: pt!.v, value: v as string };
    }
    const anyM = /^(.*)\/(any|all)$/i.exec(name);
    if (anyM && peek()?.v === '(') {
      p++;
      if (peek()?.v === ')') {
        p++;
        return { k: 'any', path: anyM[1], v: '', body: null };
      }
      const vt = toks[p++];
      if (!vt || vt.t !== 'id') fail('expected a lambda variable');
      expect(':');
      const body = orE();
      expect(')');
      return { k: 'any', path: anyM[1], v: vt!.v, body };
    }
    const op = toks[p++];
    if (!op || op.t !== 'op') return fail(`expected an operator after '${name}'`);
    if (op.v === 'in') {
      expect('(');
      const values: unknown[] = [];
      for (;;) {
        values.push(literal());
        if (peek()?.v === ',') {
          p++;
          continue;
        }
        break;
      }
      expect(')');
      return { k: 'in', path: name, values };
    }
    if (op.v === 'ne') markAdvanced('ne');
    // `assignedLicenses/$count eq 0`: counting a collection is an advanced query
    if (/\/\$count$/i.test(name)) markAdvanced('$count');
    return { k: 'cmp', op: op.v, path: name, value: literal() };
  };
  const node = orE();
  if (p !== toks.length) fail(`unexpected '${toks[p].v}'`);
  return { node, advanced: advancedOps.length > 0, advancedOps };
}

function get(obj: unknown, path: string, scope: Record<string, unknown>): unknown {
  const parts = path.split('/');
  let cur: unknown =
    parts[0] in scope ? scope[parts[0]] : (obj as Record<string, unknown>)?.[parts[0]];
  for (const k of parts.slice(1)) {
    if (k.toLowerCase() === '$count') cur = Array.isArray(cur) ? cur.length : 0;
    else cur = (cur as Record<string, unknown> | undefined)?.[k];
  }
  return cur;
}

function eq(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (a === undefined) a = null;
  return a === b;
}

function cmp(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return a.localeCompare(b);
  return (a as number) - (b as number);
}

/** Properties whose names the caller may filter on; anything else is an unknown property. */
export function evaluate(n: Node, obj: unknown, scope: Record<string, unknown> = {}): boolean {
  switch (n.k) {
    case 'and':
      return evaluate(n.a, obj, scope) && evaluate(n.b, obj, scope);
    case 'or':
      return evaluate(n.a, obj, scope) || evaluate(n.b, obj, scope);
    case 'not':
      return !evaluate(n.a, obj, scope);
    case 'in': {
      const v = get(obj, n.path, scope);
      return n.values.some((x) => eq(v, x));
    }
    case 'fn': {
      const v = get(obj, n.path, scope);
      if (typeof v !== 'string') return false;
      const a = v.toLowerCase();
      const b = n.value.toLowerCase();
      return n.fn === 'startswith'
        ? a.startsWith(b)
        : n.fn === 'endswith'
          ? a.endsWith(b)
          : a.includes(b);
    }
    case 'any': {
      const coll = get(obj, n.path, scope);
      if (!Array.isArray(coll)) return false;
      if (!n.body) return coll.length > 0;
      return coll.some((el) => evaluate(n.body!, obj, { ...scope, [n.v]: el }));
    }
    case 'cmp': {
      const v = get(obj, n.path, scope);
      if (Array.isArray(v))
        return n.op === 'eq' ? v.some((x) => eq(x, n.value)) : !v.some((x) => eq(x, n.value));
      switch (n.op) {
        case 'eq':
          return eq(v, n.value);
        case 'ne':
          return !eq(v, n.value);
        case 'gt':
          return cmp(v, n.value) > 0;
        case 'ge':
          return cmp(v, n.value) >= 0;
        case 'lt':
          return cmp(v, n.value) < 0;
        default:
          return cmp(v, n.value) <= 0;
      }
    }
  }
}

/** Top-level property names a filter touches (for validation). */
export function filterPaths(n: Node, vars: Set<string> = new Set()): string[] {
  switch (n.k) {
    case 'and':
    case 'or':
      return [...filterPaths(n.a, vars), ...filterPaths(n.b, vars)];
    case 'not':
      return filterPaths(n.a, vars);
    case 'any':
      return [
        n.path.split('/')[0],
        ...(n.body ? filterPaths(n.body, new Set([...vars, n.v])) : []),
      ];
    default: {
      const head = n.path.split('/')[0];
      return vars.has(head) ? [] : [head];
    }
  }
}

export function parseSelect(v: string | null): string[] | undefined {
  if (!v) return undefined;
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function project<T extends object>(
  obj: T,
  select: string[] | undefined,
  always: string[] = ['id'],
): Record<string, unknown> {
  if (!select) return { ...obj } as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const src = obj as Record<string, unknown>;
  for (const k of always) if (k in src) out[k] = src[k];
  for (const k of select) {
    const key = Object.keys(src).find((x) => x.toLowerCase() === k.toLowerCase()) ?? k;
    out[key] = src[key] ?? null;
  }
  return out;
}

export function encodeToken(o: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(o)).toString('base64url');
}

export function decodeToken(s: string): Record<string, unknown> | undefined {
  try {
    const o = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    return o && typeof o === 'object' && !Array.isArray(o) ? o : undefined;
  } catch {
    return undefined;
  }
}

/** Builds a link keeping the original query options, replacing some. */
export function link(
  base: string,
  path: string,
  query: URLSearchParams,
  set: Record<string, string>,
  drop: string[] = [],
): string {
  const parts: string[] = [];
  for (const [k, v] of query) {
    if (k in set || drop.includes(k)) continue;
    parts.push(`${k}=${encodeURIComponent(v)}`);
  }
  for (const [k, v] of Object.entries(set)) parts.push(`${k}=${encodeURIComponent(v)}`);
  return `${base}${path}${parts.length ? '?' + parts.join('&') : ''}`;
}
