/**
 * One write the engine asks a mailbox port for. `patch` is the item kind's domain patch (for
 * contacts the fields to set); the adapter turns it into its transport's body and adds our
 * ownership tags. Ids in updates and deletes are the transport's own.
 */
export type ItemWrite<TPatch> =
  | {
      kind: 'create';
      sourceKey: string;
      contentHash: string;
      fieldHashes?: string;
      patch: TPatch;
    }
  | {
      kind: 'update';
      itemId: string;
      sourceKey: string;
      contentHash: string;
      fieldHashes?: string;
      patch: TPatch;
    }
  | { kind: 'delete'; itemId: string; sourceKey: string };
