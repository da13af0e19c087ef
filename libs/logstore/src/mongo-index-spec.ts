/** One index the MongoDB adapter maintains. `ttl` indexes expire after the retention. */
export interface MongoIndexSpec {
  collection: 'logs' | 'snapshots' | 'map_chunks';
  name: string;
  key: Readonly<Record<string, 1 | -1>>;
  unique?: true;
  ttl?: true;
}
