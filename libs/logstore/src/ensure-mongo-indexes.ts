import type { Db, Document } from 'mongodb';
import { LogStoreError } from './log-store-error';
import { LOGSTORE_MONGO_INDEXES } from './logstore-mongo-indexes';
import type { MongoIndexSpec } from './mongo-index-spec';

/** MongoDB's NamespaceNotFound: listIndexes on a collection that does not exist yet. */
const NAMESPACE_NOT_FOUND = 26;

/**
 * Creates the log store's indexes, idempotently, at start-up. When the retention changed, a
 * TTL index is updated in place with `collMod`: dropping and re-creating it would leave a
 * window without expiry and rebuild the index on a large collection. Any other difference is
 * an INDEX_CONFLICT for an operator to resolve: this never drops an index.
 */
export async function ensureMongoIndexes(
  db: Db,
  retentionDays: number,
  specs: readonly MongoIndexSpec[] = LOGSTORE_MONGO_INDEXES,
): Promise<{ created: string[]; modified: string[]; unchanged: string[] }> {
  const expireAfterSeconds = retentionDays * 86_400;
  const report = { created: [] as string[], modified: [] as string[], unchanged: [] as string[] };
  for (const collectionName of [...new Set(specs.map((s) => s.collection))]) {
    const collection = db.collection(collectionName);
    const existing = await listIndexes(collection.listIndexes().toArray());
    for (const spec of specs.filter((s) => s.collection === collectionName)) {
      const found = existing.find((index) => sameKey(index.key as Document, spec.key));
      if (!found) {
        if (existing.some((index) => index.name === spec.name)) {
          throw conflict(spec, 'an index of that name has another key pattern');
        }
        await collection.createIndex(
          { ...spec.key },
          {
            name: spec.name,
            ...(spec.unique && { unique: true }),
            ...(spec.ttl && { expireAfterSeconds }),
          },
        );
        report.created.push(spec.name);
        continue;
      }
      if (Boolean(found.unique) !== Boolean(spec.unique))
        throw conflict(spec, 'uniqueness differs');
      const foundTtl = found.expireAfterSeconds as number | undefined;
      if (!spec.ttl) {
        if (foundTtl !== undefined) throw conflict(spec, 'the existing index is a TTL index');
        report.unchanged.push(spec.name);
      } else if (foundTtl === undefined) {
        throw conflict(spec, 'the existing index is not a TTL index');
      } else if (Number(foundTtl) !== expireAfterSeconds) {
        await db.command({
          collMod: collectionName,
          index: { keyPattern: { ...spec.key }, expireAfterSeconds },
        });
        report.modified.push(spec.name);
      } else {
        report.unchanged.push(spec.name);
      }
    }
  }
  return report;
}

async function listIndexes(pending: Promise<Document[]>): Promise<Document[]> {
  try {
    return await pending;
  } catch (error) {
    if ((error as { code?: unknown }).code === NAMESPACE_NOT_FOUND) return [];
    throw error;
  }
}

/** Same fields in the same order with the same directions (MongoDB may return 1 as 1.0). */
function sameKey(actual: Document, expected: Readonly<Record<string, number>>): boolean {
  const a = Object.entries(actual);
  const e = Object.entries(expected);
  return (
    a.length === e.length &&
    a.every(([field, dir], i) => field === e[i][0] && Number(dir) === e[i][1])
  );
}

function conflict(spec: MongoIndexSpec, why: string): LogStoreError {
  return new LogStoreError(
    'INDEX_CONFLICT',
    `index ${spec.name} on ${spec.collection}: ${why}; resolve it by hand (the log store never drops indexes)`,
  );
}
