/**
 * One entry of a change feed (Graph delta, EWS SyncFolderItems): the item id is the transport's
 * own; a change key is the version the transport reports, compared only with its own kind.
 */
export interface ItemChange {
  id: string;
  changeKey?: string;
  removed: boolean;
}
