/** Graph `emailAddress`: the address (stored lower-cased) and the name shown for it. */
export interface EmailAddress {
  readonly address: string;
  readonly name?: string;
}
