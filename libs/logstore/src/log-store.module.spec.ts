import { type AppConfig, ConfigModule } from '@app/config';
import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogStore } from './create-log-store';
import { EmbeddedLogStore } from './embedded-log-store';
import type { LogStore } from './log-store';
import { LogStoreModule } from './log-store.module';
import { LOG_STORE } from './log-store.token';
import { ManualClock } from './manual-clock';

function config(dataDir: string): AppConfig {
  return {
    mongo: { url: undefined },
    logRetentionDays: 30,
    dataDir,
    encryption: {
      activeKeyId: 'k1',
      keys: [{ id: 'k1', material: randomBytes(32) }],
      source: 'env',
    },
  } as unknown as AppConfig;
}

describe('createLogStore and LogStoreModule', () => {
  let dir: string;
  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'logstore-module-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('without MONGO_URL opens the embedded store at <dataDir>/logstore.db in WAL mode', async () => {
    const store = await createLogStore(config(dir));
    expect(store).toBeInstanceOf(EmbeddedLogStore);
    await store.close();
    expect(existsSync(join(dir, 'logstore.db'))).toBe(true);
    const raw = new Database(join(dir, 'logstore.db'), { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('rejects a retention outside 1-30 even if config was built by hand', async () => {
    await expect(createLogStore({ ...config(dir), logRetentionDays: 45 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it('provides the port globally, runs the purge job, and closes the store on shutdown', async () => {
    const clock = new ManualClock();
    @Module({ imports: [ConfigModule.forRoot(config(dir)), LogStoreModule.forRoot({ clock })] })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    await app.init();
    const store = app.get<LogStore>(LOG_STORE);
    expect(store).toBeInstanceOf(EmbeddedLogStore);
    await store.appendLogs('t1', [{ level: 'info', message: 'hello' }]);
    expect((await store.queryLogs('t1')).items[0]).toMatchObject({
      message: 'hello',
      at: clock.now(),
    });
    expect(app.get(LogStoreModule)['purgeJob']?.started).toBe(true);
    await app.close();
    await expect(store.queryLogs('t1')).rejects.toMatchObject({ code: 'STORE_CLOSED' });
  });
});
