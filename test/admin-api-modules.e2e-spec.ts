import { REDIS_CLIENT, SyncQueues } from '@app/queue';
import {
  DirectoryCache,
  MailboxLease,
  PlanRunUseCase,
  RequestRunUseCase,
  SyncMailboxDispatch,
} from '@app/sync';
import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { AdminHarness } from './support/admin-harness';

/** What the sync engine (SyncEngineModule) brings, and the admin API has no use for. */
const ENGINE = [PlanRunUseCase, SyncMailboxDispatch, MailboxLease, DirectoryCache];

/**
 * Whether any module of the app provides `token`. Read from the module graph: `app.get` of a
 * missing provider makes Nest (abortOnError) exit the process instead of throwing.
 */
const has = (app: INestApplication, token: unknown): boolean =>
  [...app.get(ModulesContainer).values()].some((m) => m.providers.has(token as never));

/**
 * Issue #17 Build 3: the admin API imports what it uses. Enqueueing a run needs the run control
 * (RequestRunUseCase) and the queue producer, not the engine; the worker, booted from the same
 * configuration beside it, has the engine (so the probe below can tell the two apart).
 */
describe('admin API modules: run control without the sync engine', () => {
  let h: AdminHarness;

  beforeAll(async () => {
    h = await AdminHarness.start({ worker: true });
  }, 90_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('the admin API can enqueue a run but holds none of the engine', () => {
    for (const needed of [RequestRunUseCase, SyncQueues, REDIS_CLIENT]) {
      const name = typeof needed === 'function' ? needed.name : String(needed);
      expect([name, has(h.app, needed)]).toEqual([name, true]);
    }
    for (const engine of ENGINE)
      expect([engine.name, has(h.app, engine)]).toEqual([engine.name, false]);
  });

  it('the worker holds the engine (the probe finds what is there)', () => {
    for (const engine of ENGINE)
      expect([engine.name, has(h.worker!, engine)]).toEqual([engine.name, true]);
  });
});
