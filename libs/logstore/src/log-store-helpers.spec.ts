import { chunkMapEntries } from './chunk-map-entries';
import { logCursor } from './log-cursor';
import { LogStoreError } from './log-store-error';
import { mapChunkCodec } from './map-chunk-codec';
import type { MapEntry } from './map-entry';
import { requireId } from './require-id';

const e = (i: number): MapEntry => ({ sourceKey: `s${i}`, itemId: `i${i}`, contentHash: `h${i}` });

describe('chunkMapEntries', () => {
  it('regroups single entries and uneven batches into chunks of the given size', async () => {
    const source = [e(0), [e(1), e(2), e(3), e(4)], [], e(5), [e(6)]];
    const chunks: MapEntry[][] = [];
    for await (const chunk of chunkMapEntries(source, 3)) chunks.push(chunk);
    expect(chunks.map((c) => c.map((x) => x.sourceKey))).toEqual([
      ['s0', 's1', 's2'],
      ['s3', 's4', 's5'],
      ['s6'],
    ]);
  });

  it('pulls from the source lazily', async () => {
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < 100; i++) {
        pulled += 1;
        yield e(i);
      }
    }
    const iterator = chunkMapEntries(source(), 10)[Symbol.asyncIterator]();
    await iterator.next();
    expect(pulled).toBe(10);
    await iterator.return(undefined);
  });
});

describe('mapChunkCodec', () => {
  it('round-trips entries as packed triples', () => {
    const packed = mapChunkCodec.encode([e(1), e(2)]);
    expect(packed).toBe('[["s1","i1","h1"],["s2","i2","h2"]]');
    expect(mapChunkCodec.decode(packed)).toEqual([e(1), e(2)]);
  });

  it('keeps change keys, user deletions and notes hashes', () => {
    const entries = [
      { ...e(1), changeKey: 'ck1' },
      { ...e(2), userDeleted: true },
      { ...e(3), changeKey: 'ck3', userDeleted: true },
      e(4),
      { ...e(5), changeKey: 'ck5', notesHash: 'n5' },
      { ...e(6), notesHash: 'n6' },
      { ...e(7), userDeleted: true, notesHash: 'n7' },
    ];
    expect(mapChunkCodec.decode(mapChunkCodec.encode(entries))).toEqual(entries);
  });
});

describe('logCursor', () => {
  it('round-trips and rejects foreign cursors with INVALID_CURSOR', () => {
    const at = new Date('2025-01-02T03:04:05.678Z');
    expect(logCursor.decode(logCursor.encode(at, 'abc'))).toEqual({ at, id: 'abc' });
    for (const bad of [
      '',
      'x',
      Buffer.from('[1]').toString('base64url'),
      Buffer.from('{"a":1}').toString('base64url'),
    ]) {
      expect(() => logCursor.decode(bad)).toThrow(
        expect.objectContaining({ code: 'INVALID_CURSOR' }),
      );
    }
  });
});

describe('requireId', () => {
  it('refuses empty or non-string ids, so no query can widen to every tenant', () => {
    for (const bad of ['', undefined, null, 42, 'x'.repeat(201)]) {
      expect(() => requireId('tenantId', bad)).toThrow(LogStoreError);
    }
    expect(requireId('tenantId', 't1')).toBe('t1');
  });
});
