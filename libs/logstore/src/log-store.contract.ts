import { randomUUID } from 'node:crypto';
import type { LogEntryInput } from './log-entry-input';
import type { LogStoreHarness } from './log-store-harness';
import { LogStoreError } from './log-store-error';
import type { MapEntry } from './map-entry';
import type { SnapshotItem } from './snapshot-item';

const DAY = 86_400_000;
const BIG_MAP = 100_000;

/**
 * The behaviour every LogStore adapter must have (issue 5, acceptance 1). Each test uses fresh
 * random tenant ids, so a shared MongoDB database needs no cleaning between runs.
 */
export function logStoreContract(adapter: string, open: () => Promise<LogStoreHarness>): void {
  describe(`LogStore contract: ${adapter}`, () => {
    let h: LogStoreHarness;
    let tenantA: string;
    let tenantB: string;

    beforeEach(async () => {
      h = await open();
      tenantA = `tenant-a-${randomUUID()}`;
      tenantB = `tenant-b-${randomUUID()}`;
    });
    afterEach(async () => {
      await h.close();
    });

    const entry = (i: number, extra: Partial<LogEntryInput> = {}): LogEntryInput => ({
      runId: i % 2 === 0 ? 'run-1' : 'run-2',
      mailboxId: `mbx-${i % 3}`,
      jobId: `job-${i}`,
      level: i % 10 === 0 ? 'error' : i % 7 === 0 ? 'warn' : 'info',
      code: i % 10 === 0 ? (i % 20 === 0 ? 'EWS_THROTTLED' : 'ITEM_REJECTED') : undefined,
      message: `message ${i}`,
      // Pairs of entries share a timestamp, so paging must break ties on the id.
      at: new Date(h.clock.now().getTime() + Math.floor(i / 2) * 1000),
      ...extra,
    });

    async function seedTenantA(): Promise<void> {
      await h.store.appendLogs(
        tenantA,
        Array.from({ length: 250 }, (_, i) => entry(i)),
      );
      await h.store.putSnapshot(tenantA, 'list-1', {
        runId: 'run-1',
        items: snapshotItems(3, 'A'),
      });
      await h.store.writeMap(tenantA, 'list-1', 'mbx-0', mapEntries(2500));
    }

    describe('logs', () => {
      it('appends and pages through a query, newest first, with no duplicates or gaps', async () => {
        await h.store.appendLogs(
          tenantA,
          Array.from({ length: 250 }, (_, i) => entry(i)),
        );
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        let previous = Number.POSITIVE_INFINITY;
        do {
          const page = await h.store.queryLogs(tenantA, { limit: 100, cursor });
          pages += 1;
          for (const item of page.items) {
            expect(item.tenantId).toBe(tenantA);
            expect(item.at).toBeInstanceOf(Date);
            expect(item.at.getTime()).toBeLessThanOrEqual(previous);
            previous = item.at.getTime();
            seen.push(item.id);
          }
          cursor = page.nextCursor;
        } while (cursor);
        expect(pages).toBe(3);
        expect(new Set(seen).size).toBe(250);

        // Entries 248 and 249 share the newest timestamp; either may come first.
        const newest = (await h.store.queryLogs(tenantA, { limit: 2 })).items;
        expect(newest.map((i) => i.jobId).sort()).toEqual(['job-248', 'job-249']);
        expect(newest.find((i) => i.jobId === 'job-248')).toEqual({
          id: expect.any(String),
          tenantId: tenantA,
          runId: 'run-1',
          mailboxId: 'mbx-2',
          jobId: 'job-248',
          level: 'info',
          message: 'message 248',
          at: expect.any(Date),
        });
      });

      it('filters by run, mailbox and level, and pages within the filter', async () => {
        await h.store.appendLogs(
          tenantA,
          Array.from({ length: 250 }, (_, i) => entry(i)),
        );
        const all = async (query: { runId?: string; mailboxId?: string; level?: 'error' }) => {
          const items = [];
          let cursor: string | undefined;
          do {
            const page = await h.store.queryLogs(tenantA, { ...query, limit: 7, cursor });
            items.push(...page.items);
            cursor = page.nextCursor;
          } while (cursor);
          return items;
        };
        const run1 = await all({ runId: 'run-1' });
        expect(run1).toHaveLength(125);
        expect(run1.every((i) => i.runId === 'run-1')).toBe(true);
        const both = await all({ runId: 'run-2', mailboxId: 'mbx-1' });
        expect(both.length).toBe(
          Array.from({ length: 250 }, (_, i) => i).filter((i) => i % 2 === 1 && i % 3 === 1).length,
        );
        expect(both.every((i) => i.runId === 'run-2' && i.mailboxId === 'mbx-1')).toBe(true);
        const errors = await all({ level: 'error' });
        expect(errors).toHaveLength(25);
      });

      it('rejects a missing tenant id, a bad cursor and a bad limit with coded errors', async () => {
        await expect(h.store.queryLogs('')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
        await expect(h.store.appendLogs('', [entry(1)])).rejects.toBeInstanceOf(LogStoreError);
        await expect(h.store.queryLogs(tenantA, { cursor: 'not-a-cursor' })).rejects.toMatchObject({
          code: 'INVALID_CURSOR',
        });
        await expect(h.store.queryLogs(tenantA, { limit: 0 })).rejects.toMatchObject({
          code: 'INVALID_ARGUMENT',
        });
        await expect(
          h.store.appendLogs(tenantA, [{ level: 'loud' as 'info', message: 'x' }]),
        ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      });

      it('summarises recent runs, per-mailbox outcomes and errors by code', async () => {
        const t0 = h.clock.now().getTime();
        await h.store.appendLogs(tenantA, [
          { runId: 'r1', mailboxId: 'm1', level: 'info', message: 'start', at: new Date(t0) },
          {
            runId: 'r1',
            mailboxId: 'm1',
            level: 'error',
            code: 'EWS_THROTTLED',
            message: 'throttled',
            at: new Date(t0 + 1000),
          },
          {
            runId: 'r1',
            mailboxId: 'm1',
            level: 'info',
            message: 'done m1',
            at: new Date(t0 + 2000),
          },
          {
            runId: 'r1',
            mailboxId: 'm2',
            level: 'warn',
            code: 'PHOTO_SKIPPED',
            message: 'no photo',
            at: new Date(t0 + 3000),
          },
          {
            runId: 'r1',
            mailboxId: 'm3',
            level: 'info',
            code: 'MAILBOX_DONE',
            message: 'done m3',
            at: new Date(t0 + 4000),
          },
          { runId: 'r1', level: 'error', message: 'run-level failure', at: new Date(t0 + 5000) },
          {
            runId: 'r2',
            mailboxId: 'm1',
            level: 'error',
            code: 'EWS_THROTTLED',
            message: 'again',
            at: new Date(t0 + DAY),
          },
          { level: 'info', message: 'no run', at: new Date(t0 + 2 * DAY) },
        ]);

        const runs = await h.store.recentRuns(tenantA);
        expect(runs).toEqual([
          {
            runId: 'r2',
            firstAt: new Date(t0 + DAY),
            lastAt: new Date(t0 + DAY),
            entries: 1,
            errors: 1,
            warnings: 0,
            mailboxes: 1,
          },
          {
            runId: 'r1',
            firstAt: new Date(t0),
            lastAt: new Date(t0 + 5000),
            entries: 6,
            errors: 2,
            warnings: 1,
            mailboxes: 3,
          },
        ]);
        expect(await h.store.recentRuns(tenantA, { limit: 1 })).toHaveLength(1);

        expect(await h.store.mailboxOutcomes(tenantA, 'r1')).toEqual([
          {
            mailboxId: 'm1',
            status: 'failed',
            errors: 1,
            warnings: 0,
            lastAt: new Date(t0 + 2000),
            lastMessage: 'done m1',
            lastError: { code: 'EWS_THROTTLED', message: 'throttled', at: new Date(t0 + 1000) },
          },
          {
            mailboxId: 'm2',
            status: 'warning',
            errors: 0,
            warnings: 1,
            lastAt: new Date(t0 + 3000),
            lastMessage: 'no photo',
            lastCode: 'PHOTO_SKIPPED',
          },
          {
            mailboxId: 'm3',
            status: 'ok',
            errors: 0,
            warnings: 0,
            lastAt: new Date(t0 + 4000),
            lastMessage: 'done m3',
            lastCode: 'MAILBOX_DONE',
          },
        ]);

        expect(await h.store.errorSummary(tenantA)).toEqual([
          {
            code: 'EWS_THROTTLED',
            count: 2,
            mailboxes: 1,
            lastAt: new Date(t0 + DAY),
            lastMessage: 'again',
          },
          {
            code: 'UNCODED',
            count: 1,
            mailboxes: 0,
            lastAt: new Date(t0 + 5000),
            lastMessage: 'run-level failure',
          },
        ]);
        expect(await h.store.errorSummary(tenantA, { runId: 'r2' })).toHaveLength(1);
        expect(await h.store.errorSummary(tenantA, { since: new Date(t0 + 6000) })).toEqual([
          expect.objectContaining({ code: 'EWS_THROTTLED', count: 1 }),
        ]);
      });
    });

    describe('tenant isolation', () => {
      it('tenant B never sees or changes tenant A entries, through any method', async () => {
        await seedTenantA();
        const before = await h.rawCounts(tenantA);
        const infoBefore = await h.store.getMapInfo(tenantA, 'list-1', 'mbx-0');
        const cursorA = (await h.store.queryLogs(tenantA, { limit: 10 })).nextCursor;

        // Reads as B see nothing of A.
        expect((await h.store.queryLogs(tenantB)).items).toEqual([]);
        expect(
          (await h.store.queryLogs(tenantB, { runId: 'run-1', mailboxId: 'mbx-0' })).items,
        ).toEqual([]);
        expect((await h.store.queryLogs(tenantB, { cursor: cursorA })).items).toEqual([]);
        expect(await h.store.recentRuns(tenantB)).toEqual([]);
        expect(await h.store.mailboxOutcomes(tenantB, 'run-1')).toEqual([]);
        expect(await h.store.errorSummary(tenantB)).toEqual([]);
        expect(await h.store.getSnapshot(tenantB, 'list-1')).toBeUndefined();
        expect(await h.store.getMapInfo(tenantB, 'list-1', 'mbx-0')).toBeUndefined();
        expect(await countEntries(h.store.readMap(tenantB, 'list-1', 'mbx-0'))).toBe(0);

        // Writes and deletes as B leave A untouched.
        h.clock.advanceDays(1);
        expect(await h.store.touchMap(tenantB, 'list-1', 'mbx-0')).toBe(false);
        expect(await h.store.deleteMap(tenantB, 'list-1', 'mbx-0')).toBe(false);
        expect(await h.store.deleteSnapshot(tenantB, 'list-1')).toBe(false);
        await h.store.putSnapshot(tenantB, 'list-1', { items: snapshotItems(1, 'B') });
        await h.store.writeMap(tenantB, 'list-1', 'mbx-0', mapEntries(10, 'B'));
        await h.store.appendLogs(tenantB, [entry(1, { message: 'B only' })]);
        expect(await h.store.deleteTenant(tenantB)).toEqual({
          logs: 1,
          snapshots: 2,
          mapChunks: 2,
        });

        expect(await h.rawCounts(tenantA)).toEqual(before);
        expect(await h.store.getMapInfo(tenantA, 'list-1', 'mbx-0')).toEqual(infoBefore);
        expect((await h.store.getSnapshot(tenantA, 'list-1'))?.items).toEqual(
          snapshotItems(3, 'A'),
        );
        expect(await countEntries(h.store.readMap(tenantA, 'list-1', 'mbx-0'))).toBe(2500);
        expect((await h.store.queryLogs(tenantA, { limit: 1000 })).items).toHaveLength(250);
        expect(
          (await h.store.queryLogs(tenantA, { limit: 1000 })).items.every(
            (i) => i.tenantId === tenantA,
          ),
        ).toBe(true);
        expect(await h.store.mailboxOutcomes(tenantA, 'run-1')).not.toEqual([]);
      });
    });

    describe('snapshots', () => {
      it('round-trips a snapshot in several encrypted parts and replaces it on put', async () => {
        const items = snapshotItems(1234, 'X');
        const at = h.clock.now();
        await h.store.putSnapshot(tenantA, 'list-1', { runId: 'run-9', items });
        const read = await h.store.getSnapshot(tenantA, 'list-1');
        expect(read).toEqual({ listId: 'list-1', runId: 'run-9', at, items });

        const raw = await h.rawSnapshotPayloads(tenantA, 'list-1');
        expect(raw.length).toBeGreaterThanOrEqual(2);
        for (const payload of raw) {
          expect(payload).toMatch(/^v1\.[A-Za-z0-9_-]+\./);
          expect(payload).not.toContain('Person X-7');
          expect(payload).not.toContain('x-7@example.com');
          expect(payload).not.toContain('contentHash');
        }

        await h.store.putSnapshot(tenantA, 'list-1', { items: snapshotItems(2, 'Y') });
        expect((await h.store.getSnapshot(tenantA, 'list-1'))?.items).toEqual(
          snapshotItems(2, 'Y'),
        );
        expect(await h.rawSnapshotPayloads(tenantA, 'list-1')).toHaveLength(1);
        await h.store.putSnapshot(tenantA, 'list-2', { items: [] });
        expect(await h.store.getSnapshot(tenantA, 'list-2')).toMatchObject({
          listId: 'list-2',
          items: [],
        });

        expect(await h.store.deleteSnapshot(tenantA, 'list-1')).toBe(true);
        expect(await h.store.getSnapshot(tenantA, 'list-1')).toBeUndefined();
        expect(await h.store.getSnapshot(tenantA, 'list-2')).toBeDefined();
      });
    });

    describe('mailbox maps', () => {
      it(`writes and reads back a ${BIG_MAP.toLocaleString('en')}-entry map chunk by chunk, never whole`, async () => {
        // The source is a lazy generator in uneven batches; at every 5,000 entries it checks
        // how much has reached storage, proving the store consumes and flushes as it goes.
        const chunkSize = h.mapChunkSize;
        let produced = 0;
        let maxLag = 0;
        const rawChunks = () => h.rawMapDataChunks(tenantA, 'list-1', 'mbx-big');
        async function* source(): AsyncGenerator<MapEntry[]> {
          for (let start = 0; start < BIG_MAP; start += 700) {
            if (start > 0 && start % 4900 === 0) {
              maxLag = Math.max(maxLag, produced - (await rawChunks()) * chunkSize);
            }
            const batch: MapEntry[] = [];
            for (let i = start; i < Math.min(BIG_MAP, start + 700); i++) batch.push(mapEntry(i));
            produced += batch.length;
            yield batch;
          }
        }
        const heapStart = process.memoryUsage().heapUsed;
        let heapPeak = heapStart;
        const t0 = performance.now();
        const info = await h.store.writeMap(tenantA, 'list-1', 'mbx-big', source());
        const writeMs = performance.now() - t0;
        const expectedChunks = Math.ceil(BIG_MAP / chunkSize);
        expect(info).toMatchObject({ entryCount: BIG_MAP, chunkCount: expectedChunks });
        expect(await rawChunks()).toBe(expectedChunks);
        // Never more than ~10 chunks between what was pulled and what was stored.
        expect(maxLag).toBeLessThanOrEqual(10 * chunkSize + 700);

        const t1 = performance.now();
        let count = 0;
        let pages = 0;
        for await (const page of h.store.readMap(tenantA, 'list-1', 'mbx-big')) {
          pages += 1;
          expect(page.length).toBeLessThanOrEqual(chunkSize);
          for (const e of page) {
            // Entries come back in write order, so each is checked against its index.
            if (e.sourceKey !== `src-${count}` || e.itemId !== mapEntry(count).itemId) {
              throw new Error(`entry ${count} differs: ${JSON.stringify(e)}`);
            }
            count += 1;
          }
          heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
        }
        const readMs = performance.now() - t1;
        expect(count).toBe(BIG_MAP);
        expect(pages).toBe(expectedChunks);
        expect(await h.store.getMapInfo(tenantA, 'list-1', 'mbx-big')).toMatchObject({
          entryCount: BIG_MAP,
          chunkCount: expectedChunks,
        });

        // Replacing the map removes the old generation's chunks.
        await h.store.writeMap(tenantA, 'list-1', 'mbx-big', mapEntries(1500));
        expect(await rawChunks()).toBe(Math.ceil(1500 / chunkSize));
        expect(await countEntries(h.store.readMap(tenantA, 'list-1', 'mbx-big'))).toBe(1500);

        console.info(
          `[${adapter}] ${BIG_MAP} map entries: write ${writeMs.toFixed(0)} ms, read ${readMs.toFixed(0)} ms, ` +
            `${expectedChunks} chunks, max write lag ${maxLag} entries, ` +
            `heap during read +${((heapPeak - heapStart) / 1048576).toFixed(1)} MB`,
        );
      });

      it('keeps the previous map when a write fails midway, and accepts single entries', async () => {
        await h.store.writeMap(tenantA, 'list-1', 'mbx-0', mapEntries(10));
        function* failing(): Generator<MapEntry> {
          for (let i = 0; i < 2500; i++) yield mapEntry(i);
          throw new Error('source failed');
        }
        await expect(h.store.writeMap(tenantA, 'list-1', 'mbx-0', failing())).rejects.toThrow(
          'source failed',
        );
        expect(await h.store.getMapInfo(tenantA, 'list-1', 'mbx-0')).toMatchObject({
          entryCount: 10,
        });
        expect(await h.rawMapDataChunks(tenantA, 'list-1', 'mbx-0')).toBe(1);
        await expect(
          h.store.writeMap(tenantA, 'list-1', 'mbx-0', [{ sourceKey: 'k' } as MapEntry]),
        ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });

        const empty = await h.store.writeMap(tenantA, 'list-1', 'mbx-1', []);
        expect(empty).toMatchObject({ entryCount: 0, chunkCount: 0 });
        expect(await countEntries(h.store.readMap(tenantA, 'list-1', 'mbx-1'))).toBe(0);
        expect(await h.store.getMapInfo(tenantA, 'list-1', 'mbx-1')).toBeDefined();
        expect(await h.store.deleteMap(tenantA, 'list-1', 'mbx-1')).toBe(true);
        expect(await h.store.getMapInfo(tenantA, 'list-1', 'mbx-1')).toBeUndefined();
      });
    });

    describe('expiry', () => {
      it('expires logs and snapshots by write time, maps by last use', async () => {
        const t0 = h.clock.now();
        await h.store.appendLogs(tenantA, [{ level: 'info', message: 'old' }]);
        await h.store.putSnapshot(tenantA, 'list-1', { items: snapshotItems(3, 'A') });
        await h.store.writeMap(tenantA, 'list-1', 'mbx-idle', mapEntries(2500));
        await h.store.writeMap(tenantA, 'list-1', 'mbx-busy', mapEntries(2500));
        h.clock.advanceDays(10);
        await h.store.appendLogs(tenantA, [{ level: 'info', message: 'recent' }]);

        if (h.expiry.kind === 'purge') {
          h.clock.advanceDays(19); // day 29: nothing has expired yet
          await h.expiry.purge(h.clock.now());
          expect((await h.rawCounts(tenantA)).logs).toBe(2);
          expect(await h.store.touchMap(tenantA, 'list-1', 'mbx-busy')).toBe(true);

          h.clock.advanceDays(2); // day 31
          const purged = await h.expiry.purge(h.clock.now());
          expect(purged).toEqual({ logs: 1, snapshots: 2, mapChunks: 4 });
          expect((await h.store.queryLogs(tenantA)).items.map((i) => i.message)).toEqual([
            'recent',
          ]);
          expect(await h.store.getSnapshot(tenantA, 'list-1')).toBeUndefined();
          expect(await h.store.getMapInfo(tenantA, 'list-1', 'mbx-idle')).toBeUndefined();
          expect(await countEntries(h.store.readMap(tenantA, 'list-1', 'mbx-busy'))).toBe(2500);

          h.clock.advanceDays(30); // day 61: the touched map's 30 days have run out too
          await h.expiry.purge(h.clock.now());
          expect(await h.rawCounts(tenantA)).toEqual({ logs: 0, snapshots: 0, mapChunks: 0 });
        } else {
          const ttl = await h.expiry.ttlIndexes();
          const seconds = h.expiry.retentionSeconds;
          expect(ttl).toEqual(
            expect.arrayContaining([
              { collection: 'logs', key: { at: 1 }, expireAfterSeconds: seconds },
              { collection: 'snapshots', key: { at: 1 }, expireAfterSeconds: seconds },
              { collection: 'map_chunks', key: { lastUsedAt: 1 }, expireAfterSeconds: seconds },
            ]),
          );
          expect(ttl).toHaveLength(3);
          const raw = await h.expiry.rawTtlFields(tenantA);
          expect(raw.logAt).toHaveLength(2);
          expect(raw.snapshotAt.length).toBeGreaterThanOrEqual(2);
          expect(raw.mapLastUsedAt.length).toBe(8); // 2 maps x (header + 3 chunks)
          for (const value of [...raw.logAt, ...raw.snapshotAt, ...raw.mapLastUsedAt]) {
            expect(value).toBeInstanceOf(Date);
          }
          expect(raw.logAt.map((d) => (d as Date).getTime()).sort((a, b) => a - b)).toEqual([
            t0.getTime(),
            t0.getTime() + 10 * DAY,
          ]);
        }
      });

      it('touching a map keeps it alive', async () => {
        const t0 = h.clock.now();
        await h.store.writeMap(tenantA, 'list-1', 'mbx-0', mapEntries(2500));
        for (let day = 1; day <= 4; day++) {
          h.clock.advanceDays(20); // 80 days in all, each gap shorter than the retention
          expect(await h.store.touchMap(tenantA, 'list-1', 'mbx-0')).toBe(true);
          if (h.expiry.kind === 'purge') await h.expiry.purge(h.clock.now());
        }
        const info = await h.store.getMapInfo(tenantA, 'list-1', 'mbx-0');
        expect(info).toMatchObject({
          entryCount: 2500,
          writtenAt: t0,
          lastUsedAt: new Date(t0.getTime() + 80 * DAY),
        });
        expect(await countEntries(h.store.readMap(tenantA, 'list-1', 'mbx-0'))).toBe(2500);
        if (h.expiry.kind === 'ttl') {
          // Every chunk carries the new last-use time, so TTL keeps the whole map.
          const raw = await h.expiry.rawTtlFields(tenantA);
          expect(raw.mapLastUsedAt.map((d) => (d as Date).getTime())).toEqual(
            Array(raw.mapLastUsedAt.length).fill(t0.getTime() + 80 * DAY),
          );
        }
      });
      it('a touch within a thirtieth of the retention of the last use writes nothing', async () => {
        const t0 = h.clock.now();
        const HOUR = DAY / 24;
        await h.store.writeMap(tenantA, 'list-1', 'mbx-0', mapEntries(1500));
        h.clock.advanceMs(23 * HOUR); // retention 30 days: one day of precision
        expect(await h.store.touchMap(tenantA, 'list-1', 'mbx-0')).toBe(true);
        expect((await h.store.getMapInfo(tenantA, 'list-1', 'mbx-0'))!.lastUsedAt).toEqual(t0);
        h.clock.advanceMs(2 * HOUR);
        expect(await h.store.touchMap(tenantA, 'list-1', 'mbx-0')).toBe(true);
        expect((await h.store.getMapInfo(tenantA, 'list-1', 'mbx-0'))!.lastUsedAt).toEqual(
          new Date(t0.getTime() + 25 * HOUR),
        );
        if (h.expiry.kind === 'ttl') {
          const raw = await h.expiry.rawTtlFields(tenantA);
          expect(raw.mapLastUsedAt.map((d) => (d as Date).getTime())).toEqual(
            Array(raw.mapLastUsedAt.length).fill(t0.getTime() + 25 * HOUR),
          );
        }
        expect(await h.store.touchMap(tenantA, 'list-1', 'mbx-none')).toBe(false);
      });
    });

    describe('tenant wipe', () => {
      it('deletes every log, snapshot and map of a tenant at once, and nothing of another', async () => {
        await seedTenantA();
        await h.store.writeMap(tenantA, 'list-2', 'mbx-9', mapEntries(10));
        await h.store.appendLogs(tenantB, [entry(1)]);
        await h.store.putSnapshot(tenantB, 'list-1', { items: snapshotItems(1, 'B') });
        await h.store.writeMap(tenantB, 'list-1', 'mbx-0', mapEntries(10));

        const wiped = await h.store.deleteTenant(tenantA);
        expect(wiped).toEqual({ logs: 250, snapshots: 2, mapChunks: 3 + 1 + 2 });
        expect(await h.rawCounts(tenantA)).toEqual({ logs: 0, snapshots: 0, mapChunks: 0 });
        expect((await h.store.queryLogs(tenantA)).items).toEqual([]);
        expect(await h.store.getSnapshot(tenantA, 'list-1')).toBeUndefined();
        expect(await h.store.getMapInfo(tenantA, 'list-1', 'mbx-0')).toBeUndefined();
        expect(await h.rawCounts(tenantB)).toEqual({ logs: 1, snapshots: 2, mapChunks: 2 });
      });
    });

    it('refuses calls after close() with STORE_CLOSED', async () => {
      await h.store.close();
      await expect(h.store.queryLogs(tenantA)).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    });
  });
}

function mapEntry(i: number): MapEntry {
  return {
    sourceKey: `src-${i}`,
    // About the size of an EWS ItemId.
    itemId: `AAMkAGI2TG93AAA=${i.toString(36).padStart(8, '0')}${'x'.repeat(120)}`,
    contentHash: i.toString(16).padStart(64, '0'),
  };
}

function mapEntries(n: number, prefix = ''): MapEntry[] {
  return Array.from({ length: n }, (_, i) => ({ ...mapEntry(i), sourceKey: `${prefix}src-${i}` }));
}

function snapshotItems(n: number, who: string): SnapshotItem[] {
  return Array.from({ length: n }, (_, i) => ({
    sourceKey: `${who}-${i}`,
    contentHash: `hash-${who}-${i}`,
    content: {
      displayName: `Person ${who}-${i}`,
      email: `${who.toLowerCase()}-${i}@example.com`,
      phones: ['+1 555 0100'],
    },
  }));
}

async function countEntries(pages: AsyncIterable<readonly MapEntry[]>): Promise<number> {
  let n = 0;
  for await (const page of pages) n += page.length;
  return n;
}
