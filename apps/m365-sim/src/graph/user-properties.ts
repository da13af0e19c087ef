/**
 * The properties of the v1.0 `user` type that `$select` accepts, and what the simulator answers
 * for those it does not model: `[]` for collections (never `null`), `null` otherwise.
 * https://learn.microsoft.com/graph/api/resources/user#properties
 */

/** Returned by default, without `$select`. */
export const USER_DEFAULT_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
];

/**
 * "Only supported when retrieving a single user": a list (or delta) request selecting one of
 * these fails. https://learn.microsoft.com/graph/api/user-list#optional-query-parameters
 */
export const SINGLE_USER_ONLY_PROPERTIES = [
  'aboutMe',
  'birthday',
  'hireDate',
  'interests',
  'mySite',
  'pastProjects',
  'preferredName',
  'responsibilities',
  'schools',
  'skills',
  'mailboxSettings',
];

/** Collection-valued properties: an unset one is `[]`. */
const COLLECTIONS = [
  'assignedLicenses',
  'assignedPlans',
  'businessPhones',
  'identities',
  'imAddresses',
  'interests',
  'licenseAssignmentStates',
  'onPremisesProvisioningErrors',
  'otherMails',
  'pastProjects',
  'provisionedPlans',
  'proxyAddresses',
  'responsibilities',
  'schools',
  'serviceProvisioningErrors',
  'skills',
];

/** Every structural property of the v1.0 user type (not the relationships such as `manager`). */
const ALL = [
  ...USER_DEFAULT_PROPERTIES,
  ...SINGLE_USER_ONLY_PROPERTIES,
  ...COLLECTIONS,
  'accountEnabled',
  'ageGroup',
  'authorizationInfo',
  'city',
  'companyName',
  'consentProvidedForMinor',
  'country',
  'createdDateTime',
  'creationType',
  'customSecurityAttributes',
  'deletedDateTime',
  'department',
  'deviceEnrollmentLimit',
  'employeeHireDate',
  'employeeId',
  'employeeLeaveDateTime',
  'employeeOrgData',
  'employeeType',
  'externalUserState',
  'externalUserStateChangeDateTime',
  'faxNumber',
  'isManagementRestricted',
  'isResourceAccount',
  'lastPasswordChangeDateTime',
  'legalAgeGroupClassification',
  'mailNickname',
  'onPremisesDistinguishedName',
  'onPremisesDomainName',
  'onPremisesExtensionAttributes',
  'onPremisesImmutableId',
  'onPremisesLastSyncDateTime',
  'onPremisesSamAccountName',
  'onPremisesSecurityIdentifier',
  'onPremisesSyncEnabled',
  'onPremisesUserPrincipalName',
  'passwordPolicies',
  'passwordProfile',
  'postalCode',
  'preferredDataLocation',
  'securityIdentifier',
  'showInAddressList',
  'signInActivity',
  'signInSessionsValidFromDateTime',
  'state',
  'streetAddress',
  'usageLocation',
  'userType',
];

const BY_LOWER = new Map(ALL.map((p) => [p.toLowerCase(), p]));
const SINGLE_ONLY = new Set(SINGLE_USER_ONLY_PROPERTIES.map((p) => p.toLowerCase()));
const COLLECTION_SET = new Set(COLLECTIONS);

/** The property's documented name, or undefined when the v1.0 user type has none such. */
export function userPropertyName(name: string): string | undefined {
  return BY_LOWER.get(name.toLowerCase());
}

export function isSingleUserOnly(name: string): boolean {
  return SINGLE_ONLY.has(name.toLowerCase());
}

/** What an unset property reads as: `[]` for a collection, `null` otherwise. */
export function userPropertyDefault(name: string): unknown {
  return COLLECTION_SET.has(name) ? [] : null;
}
