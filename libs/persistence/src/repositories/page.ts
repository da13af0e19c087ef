/** One page of a listing: at most `limit` rows after skipping `offset`. */
export interface Page {
  limit: number;
  offset: number;
}
