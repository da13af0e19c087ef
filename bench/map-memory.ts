/**
 * Peak memory while writing and then reading a 100,000-entry mailbox map through
 * @app/logstore's EmbeddedLogStore (what a worker holds for one very large mailbox).
 * Run as its own process (the bench does): node --expose-gc scripts/run-ts.js bench/map-memory.ts
 * Prints one JSON line.
 */
import { FieldCipher, KeyRing } from '@app/crypto';
import { EmbeddedLogStore, ManualClock } from '@app/logstore';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleProc } from './proc';

const N = Number(process.argv[2] ?? 100_000);
const gc = (globalThis as unknown as { gc?: () => void }).gc ?? (() => undefined);
const mb = (bytes: number) => Math.round((bytes / 1048576) * 100) / 100;

const entry = (i: number) => ({
  sourceKey: `user:${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
  itemId: `AAMkAGI2TG93AAA=${i.toString(36).padStart(8, '0')}${'x'.repeat(120)}`,
  contentHash: i.toString(16).padStart(64, '0'),
});

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-map-'));
  const cipher = new FieldCipher(
    new KeyRing({ activeKeyId: 'k', keys: [{ id: 'k', material: randomBytes(32) }] }),
  );
  const store = EmbeddedLogStore.open(join(dir, 'logstore.db'), cipher, {
    retentionDays: 30,
    clock: new ManualClock(),
  });
  gc();
  const rssBefore = process.memoryUsage().rss;
  const heapBase = process.memoryUsage().heapUsed;
  let peakHeapWrite = 0;
  let peakRss = rssBefore;
  const probe = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    return m.heapUsed;
  };
  async function* source() {
    for (let i = 0; i < N; i++) {
      if (i % 5000 === 0) {
        gc();
        peakHeapWrite = Math.max(peakHeapWrite, probe() - heapBase);
      }
      yield entry(i);
    }
  }
  let t = performance.now();
  await store.writeMap('bench-tenant', 'bench-list', 'bench-mailbox', source());
  const writeMs = performance.now() - t;
  gc();
  const heapBase2 = process.memoryUsage().heapUsed;
  let peakHeapRead = 0;
  let n = 0;
  t = performance.now();
  for await (const page of store.readMap('bench-tenant', 'bench-list', 'bench-mailbox')) {
    n += page.length;
    if (n % 5000 === 0) {
      gc();
      peakHeapRead = Math.max(peakHeapRead, probe() - heapBase2);
    }
  }
  const readMs = performance.now() - t;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  const self = sampleProc(process.pid);
  process.stdout.write(
    `BENCH_MAP ${JSON.stringify({
      entries: n,
      writeMs: Math.round(writeMs),
      readMs: Math.round(readMs),
      peakHeapDuringWriteMb: mb(peakHeapWrite),
      peakHeapDuringReadMb: mb(peakHeapRead),
      rssBeforeMb: mb(rssBefore),
      peakRssMb: self ? Math.round(self.peakRssMb * 100) / 100 : mb(peakRss),
    })}\n`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
