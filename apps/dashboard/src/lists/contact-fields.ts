// The contact fields a list fills, as libs/domain names them (contact-fields.ts, field-mapping.ts);
// the dashboard does not import the domain library, so they are listed here for the pickers.

const TEXT_AND_LIST_FIELDS = [
  'givenName',
  'middleName',
  'surname',
  'displayName',
  'fileAs',
  'nickName',
  'initials',
  'companyName',
  'department',
  'jobTitle',
  'officeLocation',
  'profession',
  'manager',
  'assistantName',
  'emailAddresses',
  'businessPhones',
  'mobilePhone',
  'homePhones',
  'businessHomePage',
  'birthday',
  'personalNotes',
  'categories',
] as const;

const ADDRESS_PARTS = ['street', 'city', 'state', 'postalCode', 'countryOrRegion'] as const;

/** Fields a per-field policy can name (addresses as a whole). */
export const POLICY_FIELDS: readonly string[] = [
  ...TEXT_AND_LIST_FIELDS,
  'businessAddress',
  'homeAddress',
  'otherAddress',
];

/** What a field mapping can fill: fields, address parts, and the record's phone region. */
export const MAPPING_TARGETS: readonly string[] = [
  ...TEXT_AND_LIST_FIELDS,
  ...['businessAddress', 'homeAddress', 'otherAddress'].flatMap((a) =>
    ADDRESS_PARTS.map((p) => `${a}.${p}`),
  ),
  'phoneRegion',
];

/** The directory source's mapping when a list sets none (DIRECTORY_USER_MAPPING). */
export const DIRECTORY_DEFAULT_MAPPING: {
  keyPath: string;
  fields: Record<string, string | string[]>;
} = {
  keyPath: 'id',
  fields: {
    givenName: 'givenName',
    surname: 'surname',
    displayName: 'displayName',
    companyName: 'companyName',
    department: 'department',
    jobTitle: 'jobTitle',
    officeLocation: 'officeLocation',
    emailAddresses: 'mail',
    businessPhones: 'businessPhones',
    mobilePhone: 'mobilePhone',
    'businessAddress.street': 'streetAddress',
    'businessAddress.city': 'city',
    'businessAddress.state': 'state',
    'businessAddress.postalCode': 'postalCode',
    'businessAddress.countryOrRegion': 'country',
    phoneRegion: ['usageLocation', 'country'],
  },
};

/** The fields of the manual entry form, in the order a person fills them (CSV header names). */
export const ENTRY_FORM_FIELDS: ReadonlyArray<{ name: string; label: string; hint?: string }> = [
  { name: 'displayName', label: 'Display name' },
  { name: 'givenName', label: 'First name' },
  { name: 'surname', label: 'Last name' },
  { name: 'emailAddresses', label: 'E-mail', hint: 'Several: separate with ;' },
  { name: 'businessPhones', label: 'Business phone', hint: 'E.164 (+44…) or in the list’s region' },
  { name: 'mobilePhone', label: 'Mobile phone' },
  { name: 'companyName', label: 'Company' },
  { name: 'jobTitle', label: 'Job title' },
  { name: 'department', label: 'Department' },
];
