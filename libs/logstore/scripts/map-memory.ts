import { EmbeddedLogStore, ManualClock } from '@app/logstore';
import { FieldCipher, KeyRing } from '@app/crypto';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Measures what a 100,000-entry map write and read keep live on the heap (after forced GCs),
// against the same map materialised whole. Run:
//   node --expose-gc scripts/run-ts.js libs/logstore/scripts/map-memory.ts
const gc = (globalThis as unknown as { gc: () => void }).gc;
const N = 100_000;
const entry = (i: number) => ({
  sourceKey: `src-${i}`,
  itemId: `AAMkAGI2TG93AAA=${i.toString(36).padStart(8, '0')}${'x'.repeat(120)}`,
  contentHash: i.toString(16).padStart(64, '0'),
});
async function main() {
  const cipher = new FieldCipher(
    new KeyRing({ activeKeyId: 'k', keys: [{ id: 'k', material: randomBytes(32) }] }),
  );
  const store = EmbeddedLogStore.open(
    join(mkdtempSync(join(tmpdir(), 'lsb-')), 'logstore.db'),
    cipher,
    { retentionDays: 30, clock: new ManualClock() },
  );
  gc();
  const base = process.memoryUsage().heapUsed;
  let peakW = 0;
  async function* src() {
    for (let i = 0; i < N; i++) {
      if (i % 5000 === 0) {
        gc();
        peakW = Math.max(peakW, process.memoryUsage().heapUsed - base);
      }
      yield entry(i);
    }
  }
  let t = performance.now();
  await store.writeMap('t', 'l', 'm', src());
  const w = performance.now() - t;
  gc();
  const base2 = process.memoryUsage().heapUsed;
  let peakR = 0;
  let n = 0;
  t = performance.now();
  for await (const page of store.readMap('t', 'l', 'm')) {
    n += page.length;
    if (n % 10000 === 0) {
      gc();
      peakR = Math.max(peakR, process.memoryUsage().heapUsed - base2);
    }
  }
  const r = performance.now() - t;
  // For comparison: the whole map materialised as objects.
  gc();
  const b3 = process.memoryUsage().heapUsed;
  const all = Array.from({ length: N }, (_, i) => entry(i));
  gc();
  const whole = process.memoryUsage().heapUsed - b3;
  console.log(
    JSON.stringify({
      n,
      writeMs: Math.round(w),
      readMs: Math.round(r),
      retainedDuringWriteMB: (peakW / 1048576).toFixed(2),
      retainedDuringReadMB: (peakR / 1048576).toFixed(2),
      wholeMapMB: (whole / 1048576).toFixed(1),
      keep: all.length,
    }),
  );
  await store.close();
}
void main();
