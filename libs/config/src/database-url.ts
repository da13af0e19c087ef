import { resolve } from 'node:path';
import type { DatabaseConfig } from './app-config';
import { envVariable } from './env-variable';
import { parseBoolean } from './parse-boolean';
import { redactUrl } from './redact-url';

const EXPECTED =
  'expected sqlite:<file path>, postgres://user[:password]@host[:port]/database or mssql://user:password@host[:port]/database';

/**
 * DATABASE_URL (default: the embedded SQLite file): which database and, for SQL Server, its
 * connection settings. Invalid gives undefined with one problem (never the password).
 */
export const databaseUrl = envVariable
  .textOr('sqlite:./data/contact-sync.db')
  .transform((raw, ctx): DatabaseConfig | undefined => {
    const fail = (detail: string) => {
      ctx.addIssue({ code: 'custom', message: `${EXPECTED}; ${detail}` });
      return undefined;
    };
    if (raw.startsWith('sqlite:')) {
      const path = raw.slice('sqlite:'.length).replace(/^\/\/(?=\.|\/)/, '');
      if (!path) return fail('the sqlite file path is empty');
      return { kind: 'sqlite', url: raw, path: path === ':memory:' ? path : resolve(path) };
    }
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return fail(`got "${redactUrl(raw)}"`);
    }
    if (url.protocol === 'postgres:' || url.protocol === 'postgresql:') {
      if (!url.hostname || url.pathname.length <= 1)
        return fail('the postgres URL needs a host and a database name');
      return { kind: 'postgres', url: raw };
    }
    if (url.protocol === 'mssql:' || url.protocol === 'sqlserver:') {
      const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
      const encrypt = parseBoolean(url.searchParams.get('encrypt') ?? 'true');
      const trust = parseBoolean(url.searchParams.get('trustServerCertificate') ?? 'false');
      const missing = [
        !url.hostname && 'a host',
        !database && 'a database name',
        !url.username && 'a user name',
        encrypt === undefined && 'encrypt=true|false',
        trust === undefined && 'trustServerCertificate=true|false',
      ].filter(Boolean);
      if (missing.length > 0 || encrypt === undefined || trust === undefined)
        return fail(`the mssql URL needs ${missing.join(', ')}`);
      return {
        kind: 'mssql',
        url: raw,
        host: url.hostname,
        port: Number(url.port || '1433'),
        database,
        username: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
        encrypt,
        trustServerCertificate: trust,
      };
    }
    return fail(`got "${redactUrl(raw)}"`);
  });
