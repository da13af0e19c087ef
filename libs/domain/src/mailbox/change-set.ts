import type { ItemChange } from './item-change';

/** What changed in a container since a token, and the token that marks "now" for next time. */
export interface ChangeSet {
  changes: ItemChange[];
  token: string;
}
