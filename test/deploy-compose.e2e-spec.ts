import { adminApiConfigProblems, loadConfig } from '@app/config';
import Ajv from 'ajv';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseYaml } from './support/yaml';

// deploy/compose.yaml against the Compose specification's JSON schema, vendored in
// deploy/vendor/compose-spec (source and licence in its README), and the invariants of issue #24:
// TLS proxy on 443 as the only published port, Redis with AOF and noeviction, SQL Server as the
// database with the product configured for it, scalable workers, hardened product containers.
const ROOT = join(__dirname, '..');
const SCHEMA = JSON.parse(
  readFileSync(join(ROOT, 'deploy/vendor/compose-spec/compose-spec.json'), 'utf8'),
) as Record<string, unknown>;

type Service = Record<string, unknown> & {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  networks?: string[];
  depends_on?: Record<string, { condition: string }>;
};
type Compose = {
  services: Record<string, Service>;
  networks: Record<string, { internal?: boolean }>;
};

const compose = parseYaml(readFileSync(join(ROOT, 'deploy/compose.yaml'), 'utf8')) as Compose;

/** The schema's own vocabulary is draft-07 (`id`, `definitions`); its formats are Compose's. */
function composeValidator() {
  const ajv = new Ajv({ allErrors: true, schemaId: 'auto' });
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  ajv.addFormat('ports', /^((\S+:)?\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', /^[0-9a-fA-F.:]+\/\d{1,3}$/);
  const { $schema: _draft, ...schema } = SCHEMA;
  return ajv.compile(schema);
}

/** Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR:?error}, and $$ for a literal $. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value
    .replace(
      /\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g,
      (_m, name: string, op?: string, arg?: string) => {
        const set = vars[name];
        if (set !== undefined && set !== '') return set;
        if (op === '?') throw new Error(`${name}: ${arg}`);
        return op === '-' ? (arg ?? '') : '';
      },
    )
    .replace(/\$\$/g, '$');
}

const REQUIRED = {
  MSSQL_SA_PASSWORD: 'Str0ng-Passw0rd-For-SA',
  MONGO_PASSWORD: 'mongo-secret',
  ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  MICROSOFT_CLIENT_ID: '00000000-0000-0000-0000-000000000001',
  MICROSOFT_CLIENT_SECRET: 'client-secret',
  PUBLIC_HOST: 'sync.example.com',
  ADMIN_SESSION_SECRET: 'a'.repeat(40),
  ACME_EMAIL: 'ops@example.com',
};

describe('deploy/compose.yaml', () => {
  it('validates against the Compose specification schema', () => {
    const validate = composeValidator();
    expect(validate(compose) ? [] : validate.errors).toEqual([]);
  });

  it('the schema check rejects what Compose rejects (it is not vacuous)', () => {
    const validate = composeValidator();
    const bad = structuredClone(compose);
    (bad.services.redis as Record<string, unknown>).restart_policy = 'always';
    bad.services.worker.command = 'node' as never;
    (bad.services.proxy as Record<string, unknown>).healthcheck = { interval: 'soon' };
    expect(validate(bad)).toBe(false);
    const paths = validate.errors!.map((e) => `${e.dataPath} ${e.message}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        expect.stringContaining("services['redis']"),
        expect.stringContaining("services['proxy'].healthcheck.interval"),
      ]),
    );
  });

  it('publishes 443 on the TLS proxy and no other port anywhere', () => {
    const published = Object.entries(compose.services)
      .filter(([, s]) => s.ports)
      .map(([name, s]) => [name, s.ports]);
    expect(published).toEqual([['proxy', ['443:443']]]);
    expect(compose.services.proxy.image).toMatch(/^caddy:/);
    const caddyfile = readFileSync(join(ROOT, 'deploy/caddy/Caddyfile'), 'utf8');
    expect(caddyfile).toMatch(/reverse_proxy admin-api:3000/);
    expect(caddyfile).toMatch(/^\{\$PUBLIC_HOST\} \{$/m);
  });

  it('runs Redis with AOF persistence and maxmemory-policy noeviction', () => {
    const command = compose.services.redis.command!.join(' ');
    expect(command).toMatch(/--appendonly yes/);
    expect(command).toMatch(/--maxmemory-policy noeviction/);
  });

  it('runs SQL Server (the official image) and MongoDB, on an internal network', () => {
    expect(compose.services.mssql.image).toMatch(/^mcr\.microsoft\.com\/mssql\/server:/);
    expect(compose.services.mssql.environment).toMatchObject({ ACCEPT_EULA: 'Y' });
    expect(compose.services.mongo.image).toMatch(/^mongo:/);
    expect(compose.networks.data.internal).toBe(true);
    for (const store of ['redis', 'mssql', 'mongo'])
      expect(compose.services[store].networks).toEqual(['data']);
  });

  it('configures the product for SQL Server, Redis and Mongo: its own config loader accepts the environment', () => {
    for (const name of ['admin-api', 'worker']) {
      const env = Object.fromEntries(
        Object.entries(compose.services[name].environment!).map(([k, v]) => [
          k,
          interpolate(String(v), REQUIRED),
        ]),
      );
      const { config } = loadConfig(env);
      expect(adminApiConfigProblems(config)).toEqual([]);
      expect(config.database).toMatchObject({
        kind: 'mssql',
        host: 'mssql',
        port: 1433,
        database: 'contact_sync',
        username: 'sa',
        password: REQUIRED.MSSQL_SA_PASSWORD,
      });
      expect(config.redis.url).toBe('redis://redis:6379');
      expect(config.mongo.url).toMatch(/^mongodb:\/\/contact_sync:mongo-secret@mongo:27017\//);
      expect(config.env).toBe('production');
    }
  });

  it('refuses to start without the secrets (no default for any of them)', () => {
    const env = compose.services['admin-api'].environment!;
    for (const secret of Object.keys(REQUIRED).filter((k) => k !== 'ACME_EMAIL')) {
      const without = { ...REQUIRED, [secret]: '' };
      expect(() => Object.values(env).forEach((v) => interpolate(String(v), without))).toThrow(
        secret,
      );
    }
  });

  it('scales workers (no fixed container name) and starts them from compiled JavaScript', () => {
    const worker = compose.services.worker;
    expect(worker.container_name).toBeUndefined();
    expect(worker.deploy).toMatchObject({ replicas: 2 });
    expect(worker.command).toEqual([
      'node',
      '--max-old-space-size=320',
      'dist/apps/worker/src/main.js',
    ]);
    expect(compose.services['admin-api'].command).toEqual([
      'node',
      'dist/apps/admin-api/src/main.js',
    ]);
  });

  it("checks the API's health with the image's script", () => {
    expect(compose.services['admin-api'].healthcheck).toMatchObject({
      test: ['CMD', 'node', '/app/healthcheck.js'],
    });
    const dockerfile = readFileSync(join(ROOT, 'deploy/Dockerfile'), 'utf8');
    expect(dockerfile).toContain('COPY deploy/healthcheck.js ./healthcheck.js');
    expect(dockerfile).toMatch(/^WORKDIR \/app$/m);
  });

  it('hardens the product containers and waits for their data stores', () => {
    for (const name of ['admin-api', 'worker']) {
      const s = compose.services[name];
      expect(s).toMatchObject({ read_only: true, cap_drop: ['ALL'] });
      expect(s.security_opt).toContain('no-new-privileges:true');
      expect(s.depends_on).toEqual({
        redis: { condition: 'service_healthy' },
        mongo: { condition: 'service_healthy' },
        'mssql-init': { condition: 'service_completed_successfully' },
      });
      // stop grace above SHUTDOWN_TIMEOUT_MS, so in-flight work ends before SIGKILL
      const graceMs = Number(/^(\d+)s$/.exec(String(s.stop_grace_period))![1]) * 1000;
      expect(graceMs).toBeGreaterThan(Number(s.environment!.SHUTDOWN_TIMEOUT_MS));
    }
  });
});
