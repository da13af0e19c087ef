/** Graph `physicalAddress`. An address with every part empty is represented as `undefined`. */
export interface PhysicalAddress {
  readonly street?: string;
  readonly city?: string;
  readonly state?: string;
  readonly postalCode?: string;
  readonly countryOrRegion?: string;
}

export type PhysicalAddressPart = keyof PhysicalAddress;

export const PHYSICAL_ADDRESS_PARTS: readonly PhysicalAddressPart[] = [
  'street',
  'city',
  'state',
  'postalCode',
  'countryOrRegion',
];
