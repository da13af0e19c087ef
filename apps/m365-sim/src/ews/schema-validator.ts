/**
 * Request validation as Exchange does it: EWS checks every request against its schema
 * (messages.xsd / types.xsd) before running it and answers a violation (an element out of
 * order, an unknown element or attribute, a required one missing) with the ErrorSchemaValidation
 * SOAP fault, HTTP 500, naming the line and position. This is a small interpreter of the parts
 * of XML Schema that the EWS schema uses for element structure (sequence, choice, all, group,
 * element refs and substitution groups, complexContent extension/restriction, simpleContent,
 * attributes with use="required"); simple-type values are not checked.
 * https://learn.microsoft.com/exchange/client-developer/web-service-reference/ews-schema-versions-in-exchange
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';

const XS = 'http://www.w3.org/2001/XMLSchema';
const SKIP_ATTR_NS = new Set([
  'http://www.w3.org/2000/xmlns/',
  'http://www.w3.org/2001/XMLSchema-instance',
  'http://www.w3.org/XML/1998/namespace',
]);

type Particle =
  | { kind: 'el'; ns: string; name: string; decl: Element; min: number; max: number }
  | { kind: 'seq' | 'choice' | 'all'; items: Particle[]; min: number; max: number }
  | { kind: 'any'; min: number; max: number };

interface Content {
  particle?: Particle;
  simple: boolean;
  attrs: Map<string, boolean>;
  anyAttr: boolean;
}

export interface SchemaViolation {
  message: string;
  line: number;
  column: number;
}

function xsKids(el: Element, name?: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling)
    if (
      n.nodeType === 1 &&
      (n as Element).namespaceURI === XS &&
      (!name || (n as Element).localName === name)
    )
      out.push(n as Element);
  return out;
}

function occurs(el: Element): { min: number; max: number } {
  const min = el.getAttribute('minOccurs');
  const max = el.getAttribute('maxOccurs');
  return {
    min: min ? Number(min) : 1,
    max: max === 'unbounded' ? Infinity : max ? Number(max) : 1,
  };
}

export class EwsSchema {
  private elements = new Map<string, Element>();
  private types = new Map<string, Element>();
  private groups = new Map<string, Element>();
  private attrGroups = new Map<string, Element>();
  private substitutes = new Map<string, string[]>();
  private contentCache = new Map<Element, Content>();

  constructor(dir: string) {
    for (const f of ['types.xsd', 'messages.xsd']) {
      const doc = new DOMParser().parseFromString(
        fs.readFileSync(path.join(dir, f), 'utf8').replace(/^\uFEFF/, ''),
        'text/xml',
      );
      const root = doc.documentElement!;
      const tns = root.getAttribute('targetNamespace') ?? '';
      for (const el of xsKids(root)) {
        const key = `${tns}|${el.getAttribute('name')}`;
        if (el.localName === 'element') {
          this.elements.set(key, el);
          const sub = el.getAttribute('substitutionGroup');
          if (sub) {
            const head = this.qname(el, sub);
            this.substitutes.set(head, [...(this.substitutes.get(head) ?? []), key]);
          }
        } else if (el.localName === 'complexType' || el.localName === 'simpleType')
          this.types.set(key, el);
        else if (el.localName === 'group') this.groups.set(key, el);
        else if (el.localName === 'attributeGroup') this.attrGroups.set(key, el);
      }
    }
  }

  private qname(ctx: Element, q: string): string {
    const [prefix, local] = q.includes(':') ? q.split(':') : ['', q];
    return `${ctx.lookupNamespaceURI(prefix || null) ?? ''}|${local}`;
  }

  private tns(el: Element): string {
    return el.ownerDocument!.documentElement!.getAttribute('targetNamespace') ?? '';
  }

  private particle(el: Element): Particle | undefined {
    const o = occurs(el);
    switch (el.localName) {
      case 'element': {
        const ref = el.getAttribute('ref');
        if (ref) {
          const key = this.qname(el, ref);
          const decl = this.elements.get(key);
          if (!decl) return undefined;
          const [ns, name] = key.split('|');
          return { kind: 'el', ns, name, decl, ...o };
        }
        return {
          kind: 'el',
          ns: this.tns(el),
          name: el.getAttribute('name') ?? '',
          decl: el,
          ...o,
        };
      }
      case 'sequence':
      case 'choice':
      case 'all':
        return {
          kind: el.localName === 'sequence' ? 'seq' : el.localName,
          items: xsKids(el)
            .map((k) => this.particle(k))
            .filter((p): p is Particle => !!p),
          ...o,
        };
      case 'group': {
        const g = this.groups.get(this.qname(el, el.getAttribute('ref') ?? ''));
        const inner =
          g && xsKids(g).find((k) => ['sequence', 'choice', 'all'].includes(k.localName));
        const p = inner && this.particle(inner);
        return p && p.kind !== 'el' && p.kind !== 'any' ? { ...p, ...o } : p;
      }
      case 'any':
        return { kind: 'any', ...o };
      default:
        return undefined;
    }
  }

  private attributes(el: Element, c: Content): void {
    for (const a of xsKids(el)) {
      if (a.localName === 'attribute') {
        const name = a.getAttribute('name') ?? a.getAttribute('ref')?.replace(/^.*:/, '') ?? '';
        c.attrs.set(name, a.getAttribute('use') === 'required');
      } else if (a.localName === 'attributeGroup') {
        const g = this.attrGroups.get(this.qname(a, a.getAttribute('ref') ?? ''));
        if (g) this.attributes(g, c);
      } else if (a.localName === 'anyAttribute') c.anyAttr = true;
    }
  }

  /** The content model of a complexType element (named or inline). */
  private content(type: Element): Content {
    const cached = this.contentCache.get(type);
    if (cached) return cached;
    const c: Content = { simple: false, attrs: new Map(), anyAttr: false };
    this.contentCache.set(type, c);
    if (type.localName === 'simpleType') {
      c.simple = true;
      return c;
    }
    const simple = xsKids(type, 'simpleContent')[0];
    const complex = xsKids(type, 'complexContent')[0];
    const derivation =
      (simple ?? complex) &&
      xsKids((simple ?? complex)!).find(
        (k) => k.localName === 'extension' || k.localName === 'restriction',
      );
    if (simple) {
      c.simple = true;
      if (derivation) {
        const base = this.types.get(this.qname(derivation, derivation.getAttribute('base') ?? ''));
        if (base) for (const [k, v] of this.content(base).attrs) c.attrs.set(k, v);
        this.attributes(derivation, c);
      }
      return c;
    }
    if (complex && derivation) {
      const own = xsKids(derivation).find((k) =>
        ['sequence', 'choice', 'all', 'group'].includes(k.localName),
      );
      const ownP = own && this.particle(own);
      const base = this.types.get(this.qname(derivation, derivation.getAttribute('base') ?? ''));
      const baseC = base ? this.content(base) : undefined;
      if (baseC) {
        for (const [k, v] of baseC.attrs) c.attrs.set(k, v);
        c.anyAttr = baseC.anyAttr;
      }
      if (derivation.localName === 'extension' && baseC?.particle)
        c.particle = ownP
          ? { kind: 'seq', items: [baseC.particle, ownP], min: 1, max: 1 }
          : baseC.particle;
      else c.particle = ownP;
      this.attributes(derivation, c);
      return c;
    }
    const own = xsKids(type).find((k) =>
      ['sequence', 'choice', 'all', 'group'].includes(k.localName),
    );
    c.particle = own && this.particle(own);
    this.attributes(type, c);
    return c;
  }

  private typeOf(decl: Element): Element | 'simple' | 'any' {
    const inline = xsKids(decl).find(
      (k) => k.localName === 'complexType' || k.localName === 'simpleType',
    );
    if (inline) return inline;
    const t = decl.getAttribute('type');
    if (!t) return 'any';
    const key = this.qname(decl, t);
    if (key.startsWith(XS + '|')) return key === `${XS}|anyType` ? 'any' : 'simple';
    return this.types.get(key) ?? 'any';
  }

  /** Matches children[i..] against a particle: the set of positions it can end at. */
  private match(
    p: Particle,
    kids: Element[],
    starts: Set<number>,
    assign: Map<number, Element>,
    far: { pos: number },
  ): Set<number> {
    const once = (from: Set<number>): Set<number> => {
      const out = new Set<number>();
      if (p.kind === 'el') {
        for (const i of from) {
          const k = kids[i];
          if (!k) continue;
          const decl = this.accepts(p, k);
          if (decl) {
            assign.set(i, decl);
            out.add(i + 1);
            far.pos = Math.max(far.pos, i + 1);
          }
        }
      } else if (p.kind === 'any') {
        for (const i of from) if (kids[i]) out.add(i + 1);
      } else if (p.kind === 'seq') {
        let cur = from;
        for (const item of p.items) cur = this.match(item, kids, cur, assign, far);
        for (const i of cur) out.add(i);
      } else {
        // choice; `all` is read as a choice repeated (each item at most once is not checked)
        for (const item of p.items)
          for (const i of this.match(item, kids, from, assign, far)) out.add(i);
      }
      return out;
    };
    const max = p.kind === 'all' ? p.items.length * Math.max(1, p.max) : p.max;
    const min = p.kind === 'all' ? 0 : p.min;
    const result = new Set<number>(min === 0 ? starts : []);
    let cur = starts;
    for (let n = 1; n <= max && cur.size; n++) {
      const next = once(cur);
      let grew = false;
      for (const i of next)
        if (n >= min && !result.has(i)) {
          result.add(i);
          grew = true;
        }
      if (n >= min && !grew && max === Infinity) break;
      cur = next;
    }
    return result;
  }

  /** The declaration element `k` matches for particle `p` (itself or a substitute), if any. */
  private accepts(p: Extract<Particle, { kind: 'el' }>, k: Element): Element | undefined {
    const key = `${p.ns}|${p.name}`;
    const here = `${k.namespaceURI ?? ''}|${k.localName}`;
    if (here === key && p.decl.getAttribute('abstract') !== 'true') return p.decl;
    const todo = [...(this.substitutes.get(key) ?? [])];
    while (todo.length) {
      const s = todo.shift()!;
      if (s === here) return this.elements.get(s);
      todo.push(...(this.substitutes.get(s) ?? []));
    }
    return undefined;
  }

  /** Validates an element of the request (a SOAP header entry or the operation). */
  validate(el: Element): SchemaViolation | undefined {
    const decl = this.elements.get(`${el.namespaceURI ?? ''}|${el.localName}`);
    if (!decl)
      return this.violation(
        el,
        `The element '${el.localName}' in namespace '${el.namespaceURI}' is not declared.`,
      );
    return this.check(el, decl);
  }

  private violation(el: Element, message: string): SchemaViolation {
    const pos = el as unknown as { lineNumber?: number; columnNumber?: number };
    return { message, line: pos.lineNumber ?? 1, column: pos.columnNumber ?? 1 };
  }

  private check(el: Element, decl: Element): SchemaViolation | undefined {
    if (el.hasAttributeNS('http://www.w3.org/2001/XMLSchema-instance', 'type')) return undefined;
    const type = this.typeOf(decl);
    if (type === 'any') return undefined;
    const kids: Element[] = [];
    for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) kids.push(n as Element);
    const c: Content =
      type === 'simple' ? { simple: true, attrs: new Map(), anyAttr: false } : this.content(type);
    for (let i = 0; i < el.attributes.length; i++) {
      const a = el.attributes[i];
      if (SKIP_ATTR_NS.has(a.namespaceURI ?? '') || a.name === 'xmlns' || a.prefix === 'xmlns')
        continue;
      if (!c.anyAttr && !c.attrs.has(a.localName ?? a.name))
        return this.violation(el, `The '${a.name}' attribute is not declared.`);
    }
    for (const [name, required] of c.attrs)
      if (required && !el.hasAttribute(name))
        return this.violation(el, `The required attribute '${name}' is missing.`);
    if (c.simple) {
      if (kids.length)
        return this.violation(
          kids[0],
          `The element '${el.localName}' cannot contain child element '${kids[0].localName}' because the parent element's content model is text only.`,
        );
      return undefined;
    }
    const assign = new Map<number, Element>();
    const far = { pos: 0 };
    const ends = c.particle
      ? this.match(c.particle, kids, new Set([0]), assign, far)
      : new Set([0]);
    if (!ends.has(kids.length)) {
      const bad = kids[far.pos];
      return bad
        ? this.violation(
            bad,
            `The element '${el.localName}' in namespace '${el.namespaceURI}' has invalid child element '${bad.localName}' in namespace '${bad.namespaceURI}'.`,
          )
        : this.violation(
            el,
            `The element '${el.localName}' in namespace '${el.namespaceURI}' has incomplete content.`,
          );
    }
    for (let i = 0; i < kids.length; i++) {
      const d = assign.get(i);
      if (!d) continue;
      const v = this.check(kids[i], d);
      if (v) return v;
    }
    return undefined;
  }
}

let loaded: EwsSchema | undefined;
/** The EWS schema copied into the simulator (src/ews/schema), loaded once per process. */
export function ewsSchema(): EwsSchema {
  return (loaded ??= new EwsSchema(path.join(__dirname, 'schema')));
}
