import { WORKER_NODE_ARGS } from '@app/runtime/worker-node-args';
import { loadConfig, type AppConfig } from '@app/config';
import {
  ContactListEntity,
  openDataSource,
  runMigrations,
  SyncRunEntity,
  TargetEntity,
  TenantEntity,
} from '@app/persistence';
import { createRedisClient } from '@app/queue';
import { SyncQueues, type ContactListSettingsInput } from '@app/sync';
import type { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { ChildService } from './child';
import { freePort, sleep } from './proc';
import type { BenchSim } from './sim';

export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** What a worker logs (at warn) when a mailbox job's attempt fails and BullMQ retries it later. */
export const FAILED_ATTEMPT = '"msg":"mailbox attempt failed"';

export type TargetRow = Pick<TargetEntity, 'kind' | 'mode' | 'value'>;

export interface RunOutcome {
  run: SyncRunEntity;
  /** trigger to finished run row, as the bench sees it */
  wallSeconds: number;
  /** seconds from the trigger until the run row counted its first mailbox as done */
  firstMailboxSeconds: number;
}

/**
 * The product as an operator runs it, on a scratch SQLite database and a Redis key prefix of
 * its own: the rows the admin API would write (tenant, lists, targets), and real worker
 * processes (`apps/worker/src/main.ts`) sharing the database file.
 */
export class BenchProduct {
  readonly workers: ChildService[] = [];
  queues!: SyncQueues;
  dataSource!: DataSource;
  tenantId!: string;
  config!: AppConfig;
  private queueConnection!: Redis;

  private constructor(readonly env: Record<string, string>) {}

  static async create(
    sim: BenchSim,
    dir: string,
    env: Record<string, string>,
  ): Promise<BenchProduct> {
    const fullEnv: Record<string, string> = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATA_DIR: dir,
      DATABASE_URL: `sqlite:${join(dir, 'app.db')}`,
      REDIS_URL,
      REDIS_KEY_PREFIX: `bench-${randomBytes(4).toString('hex')}`,
      ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
      MICROSOFT_CLIENT_ID: sim.ready.clientId,
      MICROSOFT_CLIENT_SECRET: sim.ready.clientSecret,
      MICROSOFT_AUTHORITY_HOST: sim.ready.baseUrl,
      MICROSOFT_GRAPH_URL: sim.ready.baseUrl,
      MICROSOFT_CA_FILE: sim.ready.caPath,
      API_PORT: '0',
      WORKER_HEALTH_PORT: '0',
      // Several workers on one machine: no fixed metrics port each.
      METRICS_PORT: '0',
      WORKER_METRICS_PORT: '0',
      ...env,
    };
    const product = new BenchProduct(fullEnv);
    product.config = loadConfig(fullEnv).config;
    product.dataSource = await openDataSource(product.config.database);
    await runMigrations(product.dataSource, product.config.database, { lockTimeoutMs: 30_000 });
    product.queueConnection = createRedisClient(REDIS_URL, {
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
    });
    product.queues = new SyncQueues(product.queueConnection, product.config.redis.keyPrefix);
    const tenant = await product.dataSource.getRepository(TenantEntity).save(
      Object.assign(new TenantEntity(), {
        azureTenantId: sim.tenantId,
        status: 'active',
        displayName: 'Bench tenant',
      }),
    );
    product.tenantId = tenant.id;
    return product;
  }

  /** Failed mailbox job attempts the workers logged so far. */
  failedAttempts(): number {
    return this.workers.reduce((n, w) => n + (w.counts.get(FAILED_ATTEMPT) ?? 0), 0);
  }

  get keyPrefix(): string {
    return this.config.redis.keyPrefix;
  }

  /** Starts `n` worker processes and waits until each one answers /health/ready. */
  async startWorkers(n: number): Promise<void> {
    const started: Array<{ worker: ChildService; port: number }> = [];
    for (let i = 0; i < n; i++) {
      const port = await freePort();
      const worker = new ChildService(
        `worker-${i}`,
        'apps/worker/src/main.ts',
        { ...this.env, WORKER_HEALTH_PORT: String(port) },
        [...WORKER_NODE_ARGS],
      );
      worker.countPatterns = [FAILED_ATTEMPT];
      this.workers.push(worker);
      started.push({ worker, port });
    }
    const deadline = Date.now() + 120_000;
    for (const { worker, port } of started) {
      for (;;) {
        if (!worker.running)
          throw new Error(`${worker.name} exited during start:\n${worker.output()}`);
        const ok = await fetch(`http://127.0.0.1:${port}/health/ready`)
          .then((r) => r.ok)
          .catch(() => false);
        if (ok) break;
        if (Date.now() > deadline)
          throw new Error(`${worker.name} not ready in 120 s:\n${worker.output()}`);
        await sleep(200);
      }
    }
  }

  async createList(
    name: string,
    settings: ContactListSettingsInput,
    targets: readonly TargetRow[],
  ): Promise<string> {
    const list = Object.assign(new ContactListEntity(), {
      tenantId: this.tenantId,
      name,
      nameKey: name.trim().toLowerCase(),
      settings: JSON.stringify(settings),
      defaultRegion: 'US',
      enabled: true,
    });
    await this.dataSource.getRepository(ContactListEntity).save(list);
    const repo = this.dataSource.getRepository(TargetEntity);
    for (const t of targets)
      await repo.save(
        Object.assign(new TargetEntity(), {
          tenantId: this.tenantId,
          listKind: 'contacts',
          listId: list.id,
          ...t,
        }),
      );
    return list.id;
  }

  /** Triggers a run of the list and waits for its `sync_run` row to finish. */
  async runNow(
    listId: string,
    timeoutMs: number,
    listKind: 'contacts' | 'calendar' = 'contacts',
  ): Promise<RunOutcome> {
    const since = new Date(Date.now() - 1);
    const t0 = performance.now();
    await this.queues.triggerRun({
      tenantId: this.tenantId,
      listId,
      ...(listKind === 'calendar' ? { listKind } : {}),
      trigger: 'manual',
      mode: 'sync',
    });
    const runs = this.dataSource.getRepository(SyncRunEntity);
    const deadline = Date.now() + timeoutMs;
    let firstMailboxSeconds = NaN;
    const trace = process.env.BENCH_TRACE === '1';
    let lastDone = -1;
    for (;;) {
      const run = (
        await runs.find({ where: { listId }, order: { startedAt: 'DESC' }, take: 1 })
      )[0];
      const elapsed = (performance.now() - t0) / 1000;
      const current = run !== undefined && run.startedAt >= since;
      if (
        Number.isNaN(firstMailboxSeconds) &&
        current &&
        run.mailboxesSucceeded + run.mailboxesFailed > 0
      )
        firstMailboxSeconds = elapsed;
      if (trace && current && run.mailboxesSucceeded !== lastDone) {
        lastDone = run.mailboxesSucceeded;
        process.stderr.write(
          `  [trace ${elapsed.toFixed(2)}s] ${lastDone}/${run.mailboxesTotal} mailboxes\n`,
        );
      }
      if (current && run.finishedAt) {
        if (trace)
          for (const w of this.workers)
            for (const line of w.output().split('\n').slice(-20))
              if (line.trim()) process.stderr.write(`  [${w.name}] ${line.slice(0, 1500)}\n`);
        return { run, wallSeconds: elapsed, firstMailboxSeconds };
      }
      for (const w of this.workers)
        if (!w.running) throw new Error(`${w.name} died during a run:\n${w.output()}`);
      if (Date.now() > deadline)
        throw new Error(
          `run of ${listId} did not finish in ${timeoutMs} ms: ${JSON.stringify(run)}`,
        );
      await sleep(50);
    }
  }

  /** Stops the workers, empties the queues and every key under the bench's prefix. */
  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.stop(20_000)));
    for (const q of [this.queues.planRun, this.queues.syncMailbox, this.queues.finishRun])
      await q.obliterate({ force: true }).catch(() => undefined);
    await this.queues.close();
    for (const pattern of [`{${this.keyPrefix}}*`, `${this.keyPrefix}:*`]) {
      let cursor = '0';
      let rounds = 0;
      do {
        const [next, keys] = await this.queueConnection.scan(
          cursor,
          'MATCH',
          pattern,
          'COUNT',
          1000,
        );
        if (keys.length) await this.queueConnection.del(...keys);
        cursor = next;
      } while (cursor !== '0' && ++rounds < 100_000);
    }
    this.queueConnection.disconnect();
    await this.dataSource.destroy();
  }
}
