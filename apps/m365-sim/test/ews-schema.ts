/**
 * Schema check of the EWS responses the simulator sent (record them with the option
 * `ewsRecordResponses`, read them from `sim.state.ewsStats.recorded` or GET
 * /_sim/ews/responses): every child of soap:Header and soap:Body validates against Microsoft's
 * published EWS schema (apps/m365-sim/src/ews/schema, see its README) with xmllint; a SOAP
 * fault's ResponseCode is one the schema's ResponseCodeType lists. Test tooling: xmllint (Debian
 * libxml2-utils) must be installed; without it the check fails and says so.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';

export const EWS_SCHEMA_DIR = path.resolve(__dirname, '../src/ews/schema');
const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';

export interface RecordedResponse {
  status: number;
  operation?: string;
  contentType: string;
  body: string;
}

export interface EwsSchemaReport {
  /** documents handed to xmllint (header and body children) */
  validated: number;
  /** SOAP faults whose ResponseCode was checked against ResponseCodeType */
  faults: number;
  /** one line per problem; empty when everything validates */
  failures: string[];
}

export function xmllintPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v xmllint'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'xmllint is not installed: the EWS schema check needs it (apt-get install -y libxml2-utils)',
    );
  }
}

function responseCodes(): Set<string> {
  const xsd = fs.readFileSync(path.join(EWS_SCHEMA_DIR, 'messages.xsd'), 'utf8');
  const start = xsd.indexOf('<xs:simpleType name="ResponseCodeType">');
  const end = xsd.indexOf('</xs:simpleType>', start);
  return new Set(
    [...xsd.slice(start, end).matchAll(/<xs:enumeration value="([^"]+)"/g)].map((m) => m[1]),
  );
}

function run(file: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({
        code: err ? Number((err as { code?: number }).code ?? 1) : 0,
        out: stdout + stderr,
      }),
    );
  });
}

export async function checkEwsResponses(
  responses: readonly RecordedResponse[],
): Promise<EwsSchemaReport> {
  const xmllint = xmllintPath();
  const codes = responseCodes();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ews-schema-'));
  const failures: string[] = [];
  const files: { file: string; label: string }[] = [];
  let faults = 0;
  try {
    responses.forEach((r, i) => {
      if (!r.contentType.startsWith('text/xml')) return; // 401 pages are HTML, as IIS's are
      const label = `#${i} ${r.operation ?? '?'} (HTTP ${r.status})`;
      let bad = false;
      const doc = new DOMParser({
        errorHandler: {
          warning: () => undefined,
          error: () => (bad = true),
          fatalError: () => (bad = true),
        },
      }).parseFromString(r.body, 'text/xml');
      const env = doc?.documentElement;
      if (bad || !env || env.localName !== 'Envelope' || env.namespaceURI !== SOAP_NS) {
        failures.push(`${label}: not a SOAP envelope`);
        return;
      }
      const parts: Element[] = [];
      for (let n = env.firstChild; n; n = n.nextSibling)
        if (n.nodeType === 1)
          for (let c = n.firstChild; c; c = c.nextSibling)
            if (c.nodeType === 1) parts.push(c as Element);
      for (const el of parts) {
        if (el.localName === 'Fault' && el.namespaceURI === SOAP_NS) {
          faults++;
          const code = el.getElementsByTagNameNS(
            'http://schemas.microsoft.com/exchange/services/2006/errors',
            'ResponseCode',
          )[0]?.textContent;
          if (r.status !== 500) failures.push(`${label}: a SOAP fault needs HTTP 500`);
          if (!code || !codes.has(code))
            failures.push(`${label}: fault ResponseCode ${code} is not in ResponseCodeType`);
          continue;
        }
        const file = path.join(dir, `${files.length}.xml`);
        fs.writeFileSync(file, new XMLSerializer().serializeToString(el));
        files.push({ file, label: `${label} ${el.localName}` });
      }
    });
    // one xmllint process for all documents (the schema is compiled once); batches keep the
    // command line short
    for (let i = 0; i < files.length; i += 500) {
      const batch = files.slice(i, i + 500);
      const r = await run(xmllint, [
        '--noout',
        '--schema',
        path.join(EWS_SCHEMA_DIR, 'messages.xsd'),
        ...batch.map((f) => f.file),
      ]);
      for (const f of batch) {
        if (r.out.includes(`${f.file} validates`)) continue;
        const why = r.out
          .split('\n')
          .filter((l) => l.startsWith(f.file + ':'))
          .map((l) => l.slice(f.file.length + 1))
          .join(' | ');
        const body = fs.readFileSync(f.file, 'utf8');
        failures.push(`${f.label}: ${why || r.out.slice(0, 500)}\n    ${body.slice(0, 1500)}`);
      }
    }
    return { validated: files.length, faults, failures };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
