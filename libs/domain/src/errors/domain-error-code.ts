/** Stable codes the API and the engine can switch on (and show to admins). */
export type DomainErrorCode =
  | 'INVALID_FIELD_MAPPING'
  | 'INVALID_FILTER_RULES'
  | 'INVALID_SYNC_POLICY'
  | 'INVALID_PHONE_REGION'
  | 'INVALID_DIFF_INPUT'
  | 'FILTER_GROUP_MEMBERS_MISSING';
