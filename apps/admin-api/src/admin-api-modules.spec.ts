import { loadConfig } from '@app/config';
import { SyncQueues } from '@app/queue';
import { moduleGraphOf, type ModuleGraph } from '@app/runtime/testing/module-graph';
import { PlanRunUseCase, RequestRunUseCase, SyncMailboxDispatch } from '@app/sync';
import { WorkerHost } from '@nestjs/bullmq';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdminApp } from './admin-app';

/**
 * Issue #17 Build 3: the admin API imports what it uses. Enqueueing a run needs the run control
 * (RequestRunUseCase) and the queue producer (SyncQueues), not the sync engine or BullMQ's
 * processors. The app is built as the OpenAPI generator builds it (openApiDocument): in Nest's
 * preview mode, the module graph only, no provider instantiated, so no database, Redis or
 * Microsoft endpoint is contacted. The positive control, the same probe finding the engine in
 * the worker, is apps/worker/src/worker-modules.spec.ts.
 */
describe('admin API modules: run control without the sync engine', () => {
  let dir: string;
  let graph: ModuleGraph;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'admin-modules-'));
    const { config } = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: dir,
      DATABASE_URL: `sqlite:${join(dir, 'app.db')}`,
      ENCRYPTION_KEYS: `doc:${Buffer.alloc(32, 1).toString('base64')}`,
      MIGRATIONS_RUN_ON_START: 'false',
      // Billing on, so its modules are in the graph too. Placeholders: preview mode calls nothing.
      STRIPE_SECRET_KEY: 'sk_test_ModulesSpecOnly',
      STRIPE_WEBHOOK_SECRETS: 'whsec_ModulesSpecOnly',
      STRIPE_SEAT_PRICE_ID: 'price_ModulesSpecOnly',
    });
    const app = await createAdminApp(config, { preview: true, logger: false });
    try {
      graph = moduleGraphOf(app);
    } finally {
      await app.close();
    }
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds the run control and the queue producer (the probe reads the whole graph)', () => {
    expect(graph.modules).toEqual(
      expect.arrayContaining(['AdminApiModule', 'RunControlModule', 'QueueModule']),
    );
    for (const token of [RequestRunUseCase, SyncQueues])
      expect([token.name, graph.tokens.has(token)]).toEqual([token.name, true]);
  });

  it('holds none of the engine: no SyncEngineModule, BullModule, BullMQ processor, planner or mailbox dispatch', () => {
    expect(graph.modules.filter((m) => m === 'SyncEngineModule' || m === 'BullModule')).toEqual([]);
    expect(
      graph.classes.filter((c) => c.prototype instanceof WorkerHost).map((c) => c.name),
    ).toEqual([]);
    for (const token of [PlanRunUseCase, SyncMailboxDispatch])
      expect([token.name, graph.tokens.has(token)]).toEqual([token.name, false]);
  });
});
