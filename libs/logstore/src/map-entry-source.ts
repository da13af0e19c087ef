import type { MapEntry } from './map-entry';

/**
 * What `writeMap` consumes: single entries or batches, from a sync or async iterable. It is
 * pulled lazily, chunk by chunk, so a caller can stream a map it never holds whole.
 */
export type MapEntrySource =
  Iterable<MapEntry | readonly MapEntry[]> | AsyncIterable<MapEntry | readonly MapEntry[]>;
