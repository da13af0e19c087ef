import { spawn, execFile, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { childEnv } from '../src/sim-options';

const ROOT = path.resolve(__dirname, '../../..');

describe('npm run sim (CLI)', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGTERM');
  });

  it('prints base URLs, CA path and the seeded admin sign-in; a process started with NODE_EXTRA_CA_CERTS trusts it', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'm365-sim-cli-'));
    child = spawn(
      process.execPath,
      [
        'scripts/run-ts.js',
        'apps/m365-sim/src/main.ts',
        '--port',
        '0',
        '--tenants',
        '2',
        '--users',
        '20',
        '--data-dir',
        dataDir,
        '--pre-consent',
        '--info-file',
        path.join(dataDir, 'info.json'),
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no banner: ' + out)), 30000);
      child!.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        if (/svc-sync \/ /.test(out)) {
          clearTimeout(t);
          resolve();
        }
      });
      child!.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const base = /base URL\s+(https:\/\/\S+)/.exec(out)![1];
    expect(out).toContain(`CA certificate  ${path.join(dataDir, 'ca.pem')}`);
    expect(out).toMatch(/admin sign-in admin@contoso\.onmicrosoft\.com/);
    expect(out).toMatch(/admin sign-in admin@fabrikam\.onmicrosoft\.com/);
    expect(out).toMatch(/client id [0-9a-f-]{36}\s+secret \S+/);
    const infoFile = JSON.parse(fs.readFileSync(path.join(dataDir, 'info.json'), 'utf8'));
    expect(infoFile.baseUrl).toBe(base);
    expect(infoFile.tenants[0].adminUpn).toBe('admin@contoso.onmicrosoft.com');
    // a fresh process trusting the CA through NODE_EXTRA_CA_CERTS reaches the simulator
    const script = `fetch(${JSON.stringify(base + '/_sim/info')}).then(r => r.json()).then(j => console.log(j.tenants.length + ' ' + j.tenants[0].consented.length)).catch(e => { console.error(e.cause ?? e); process.exit(3); })`;
    const res = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['-e', script],
        { env: childEnv({ NODE_EXTRA_CA_CERTS: path.join(dataDir, 'ca.pem') }) },
        (err, stdout, stderr) => (err ? reject(new Error(stderr)) : resolve(stdout.trim())),
      ),
    );
    expect(res).toBe('2 1');
    // without trust, TLS fails
    const untrusted = await new Promise<number>((resolve) =>
      execFile(
        process.execPath,
        ['-e', script],
        { env: childEnv({ NODE_EXTRA_CA_CERTS: '' }) },
        (err) => resolve(err ? ((err as { code?: number }).code ?? 1) : 0),
      ),
    );
    expect(untrusted).toBe(3);
  });
});
