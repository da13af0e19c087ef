/** Small XML helpers for the EWS SOAP subset (parsing with @xmldom/xmldom, writing by hand). */
import { DOMParser } from '@xmldom/xmldom';

export const NS = {
  soap: 'http://schemas.xmlsoap.org/soap/envelope/',
  m: 'http://schemas.microsoft.com/exchange/services/2006/messages',
  t: 'http://schemas.microsoft.com/exchange/services/2006/types',
  e: 'http://schemas.microsoft.com/exchange/services/2006/errors',
};

export type El = Element;

export function parseXml(text: string): Document | undefined {
  let failed = false;
  const doc = new DOMParser({
    // line and column of each node, for ErrorSchemaValidation's LineNumber / LinePosition
    locator: {},
    errorHandler: {
      warning: () => undefined,
      error: () => {
        failed = true;
      },
      fatalError: () => {
        failed = true;
      },
    },
  }).parseFromString(text, 'text/xml');
  if (failed || !doc || !doc.documentElement) return undefined;
  return doc;
}

export function kids(el: El | null | undefined, name?: string): El[] {
  const out: El[] = [];
  if (!el) return out;
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (!name || (n as El).localName === name)) out.push(n as El);
  }
  return out;
}

export function kid(el: El | null | undefined, name: string): El | undefined {
  return kids(el, name)[0];
}

export function path(el: El | null | undefined, ...names: string[]): El | undefined {
  let cur: El | undefined = el ?? undefined;
  for (const n of names) cur = kid(cur, n);
  return cur;
}

export function text(el: El | null | undefined): string | undefined {
  if (!el) return undefined;
  return el.textContent ?? '';
}

export function attr(el: El | null | undefined, name: string): string | undefined {
  if (!el) return undefined;
  const v = el.getAttribute(name);
  return v === null || v === '' ? (el.hasAttribute(name) ? '' : undefined) : v;
}

export function esc(s: unknown): string {
  return String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

export function tag(name: string, value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  return `<${name}>${esc(value)}</${name}>`;
}

export function envelope(body: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<s:Envelope xmlns:s="${NS.soap}">` +
    `<s:Header><h:ServerVersionInfo MajorVersion="15" MinorVersion="1" MajorBuildNumber="2507" MinorBuildNumber="6" Version="V2017_07_11" xmlns:h="${NS.t}" xmlns="${NS.t}" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/></s:Header>` +
    `<s:Body xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">${body}</s:Body></s:Envelope>`
  );
}

export function fault(
  code: string,
  message: string,
  extraDetail = '',
  faultcode = `a:${code}`,
): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<s:Envelope xmlns:s="${NS.soap}"><s:Body><s:Fault>` +
    `<faultcode xmlns:a="${NS.t}">${esc(faultcode)}</faultcode>` +
    `<faultstring xml:lang="en-US">${esc(message)}</faultstring>` +
    `<detail><e:ResponseCode xmlns:e="${NS.e}">${esc(code)}</e:ResponseCode><e:Message xmlns:e="${NS.e}">${esc(message)}</e:Message>${extraDetail}</detail>` +
    '</s:Fault></s:Body></s:Envelope>'
  );
}
