import { loadConfig } from '@app/config';
import { SyncQueues } from '@app/queue';
import { moduleGraphOf, type ModuleGraph } from '@app/runtime/testing/module-graph';
import { PlanRunUseCase, RequestRunUseCase, SyncMailboxDispatch } from '@app/sync';
import { WorkerHost } from '@nestjs/bullmq';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkerModule } from './worker.module';

/**
 * The positive control of apps/admin-api/src/admin-api-modules.spec.ts: the same probe, on the
 * worker built in Nest's preview mode (no provider instantiated, no Redis), finds the sync
 * engine and BullMQ's processors, so the admin API's spec would see them if it had them.
 */
describe('worker modules: the sync engine and its processors', () => {
  let dir: string;
  let graph: ModuleGraph;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'worker-modules-'));
    const { config } = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: dir,
      DATABASE_URL: `sqlite:${join(dir, 'app.db')}`,
      ENCRYPTION_KEYS: `doc:${Buffer.alloc(32, 1).toString('base64')}`,
      MIGRATIONS_RUN_ON_START: 'false',
    });
    const app = await NestFactory.create(WorkerModule.forRoot(config), {
      preview: true,
      logger: false,
    });
    try {
      graph = moduleGraphOf(app);
    } finally {
      await app.close();
    }
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds SyncEngineModule, BullModule, the BullMQ processors and the engine', () => {
    expect(graph.modules).toEqual(expect.arrayContaining(['SyncEngineModule', 'BullModule']));
    expect(
      graph.classes.filter((c) => c.prototype instanceof WorkerHost).map((c) => c.name),
    ).toEqual(
      expect.arrayContaining(['PlanRunProcessor', 'SyncMailboxProcessor', 'FinishRunProcessor']),
    );
    for (const token of [PlanRunUseCase, SyncMailboxDispatch, RequestRunUseCase, SyncQueues])
      expect([token.name, graph.tokens.has(token)]).toEqual([token.name, true]);
  });
});
