import type { ItemWrite } from './item-write';

/** The final result of one write: done (applied), gone (the item no longer exists), failed. */
export interface ItemWriteResult<TPatch> {
  write: ItemWrite<TPatch>;
  outcome: 'done' | 'gone' | 'failed';
  /** The item's id after a create (and the same id after an update). */
  itemId?: string;
  changeKey?: string;
  error?: { status: number; code?: string; message: string };
}
