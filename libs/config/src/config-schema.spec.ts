import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_SCHEMA } from './config-schema';

describe('CONFIG_SCHEMA', () => {
  it('reads exactly the variables .env.example documents', () => {
    const example = readFileSync(join(__dirname, '../../../.env.example'), 'utf8');
    const documented = [...example.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect(Object.keys(CONFIG_SCHEMA.in.shape).sort()).toEqual(documented.sort());
  });

  it('names the variable in each problem and keeps checking after one', () => {
    const result = CONFIG_SCHEMA.safeParse({
      DATA_DIR: '/nonexistent-config-spec',
      API_PORT: 'x',
      SYNC_WORKER_CONCURRENCY: '0',
      ENCRYPTION_KEYS: `k:${Buffer.alloc(32, 1).toString('base64')}`,
      ADMIN_MODE: 'saas',
      ADMIN_ALLOWED_TENANTS: '11111111-2222-4333-8444-555555555555',
    });
    expect(result.error?.issues.map((i) => i.path)).toEqual([
      ['API_PORT'],
      ['SYNC_WORKER_CONCURRENCY'],
      ['ADMIN_ALLOWED_TENANTS'],
    ]);
  });
});
