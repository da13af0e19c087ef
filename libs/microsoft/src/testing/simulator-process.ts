import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Agent } from 'undici';

const ROOT = resolve(__dirname, '../../../..');

export interface SimulatorInfo {
  baseUrl: string;
  caPath: string;
  apps: Array<{ clientId: string; clientSecret: string }>;
  tenants: Array<{ id: string }>;
}

/**
 * The m365 simulator as a child process (`npm run sim`; libraries never import apps), for
 * integration tests of the Microsoft adapters over HTTPS. Ready once its --info-file exists.
 */
export class SimulatorProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly info: SimulatorInfo,
    readonly dispatcher: Agent,
    readonly dataDir: string,
  ) {}

  static async start(args: string[] = [], timeoutMs = 30_000): Promise<SimulatorProcess> {
    const dataDir = mkdtempSync(join(tmpdir(), 'm365-sim-'));
    const infoFile = join(dataDir, 'info.json');
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'scripts/run-ts.js'),
        join(ROOT, 'apps/m365-sim/src/main.ts'),
        '--port',
        '0',
        '--data-dir',
        dataDir,
        '--info-file',
        infoFile,
        '--quiet',
        ...args,
      ],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const deadline = Date.now() + timeoutMs;
    while (!existsSync(infoFile)) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGTERM');
        throw new Error(`simulator did not start (exit ${child.exitCode}): ${stderr}`);
      }
      await delay(50);
    }
    const info = JSON.parse(readFileSync(infoFile, 'utf8')) as SimulatorInfo;
    const dispatcher = new Agent({ connect: { ca: readFileSync(info.caPath, 'utf8') } });
    return new SimulatorProcess(child, info, dispatcher, dataDir);
  }

  /** A /_sim control or inspection call; throws on an error status. */
  async control<T = unknown>(path: string, method = 'GET', body?: unknown): Promise<T> {
    const res = await fetch(`${this.info.baseUrl}/_sim${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      dispatcher: this.dispatcher,
    } as RequestInit);
    if (res.status >= 400) throw new Error(`sim ${method} ${path}: ${res.status}`);
    return (await res.json()) as T;
  }

  /** A Graph call as the simulator's app (client credentials), outside the code under test. */
  async graphAsApp<T = unknown>(
    tenantId: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const app = this.info.apps[0];
    const tokenRes = await fetch(`${this.info.baseUrl}/${tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        scope: 'https://graph.microsoft.com/.default',
      }).toString(),
      dispatcher: this.dispatcher,
    } as RequestInit);
    const { access_token } = (await tokenRes.json()) as { access_token: string };
    const res = await fetch(`${this.info.baseUrl}/v1.0${path}`, {
      method,
      headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      dispatcher: this.dispatcher,
    } as RequestInit);
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  async stop(): Promise<void> {
    await this.dispatcher.close();
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    await exited;
  }
}
