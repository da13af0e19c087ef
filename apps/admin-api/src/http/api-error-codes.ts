/** What the API answers for one error code: its status and, where the error's own message is for logs only, the message shown. */
export interface ApiErrorCode {
  status: number;
  /** Shown instead of the error's own message (which may list internals meant for the log). */
  message?: string;
  /** One line for docs/errors.md (kept equal by error-codes.spec.ts). */
  meaning: string;
}

/**
 * Every code the admin API answers with, in the product's one casing (lower snake_case). The
 * error filter looks a code up here when the error does not carry its own status; docs/errors.md
 * lists the same table (a test keeps them equal).
 */
export const API_ERROR_CODES: Readonly<Record<string, ApiErrorCode>> = {
  validation_failed: {
    status: 400,
    message: 'invalid request',
    meaning:
      'The request (body, query, path or header) is invalid; `problems` lists every bad field.',
  },
  csv_invalid: {
    status: 400,
    message: 'CSV refused, nothing imported',
    meaning: 'The CSV upload was refused as a whole; `problems` lists rows and fields.',
  },
  invalid_state: {
    status: 400,
    meaning: 'A sign-in or consent redirect came back with an unknown, expired or foreign state.',
  },
  consent_denied: {
    status: 400,
    meaning: 'Microsoft reported no admin consent; nothing was set up.',
  },
  tenant_mismatch: {
    status: 400,
    meaning: 'Consent came back for another organization than the signed-in one.',
  },
  unauthorized: { status: 401, meaning: 'No valid session or API token.' },
  sign_in_failed: { status: 401, meaning: 'Microsoft sign-in could not be verified.' },
  forbidden: { status: 403, meaning: 'The caller may not do this (role, token scope, API token).' },
  csrf: { status: 403, meaning: 'A state-changing browser request without a valid X-CSRF-Token.' },
  operator_forbidden: {
    status: 403,
    meaning: 'Not allowed to an MSP operator acting for a tenant.',
  },
  operator_not_granted: {
    status: 403,
    meaning: 'X-Tenant-Id names a tenant the operator holds no grant for (or none).',
  },
  tenant_not_allowed: {
    status: 403,
    meaning: 'Self-hosted: the tenant is not in ADMIN_ALLOWED_TENANTS.',
  },
  tenant_not_onboarded: {
    status: 403,
    meaning: 'The tenant has not completed onboarding (consent).',
  },
  consent_role_required: {
    status: 403,
    meaning: 'Consent needs a Global or Privileged Role Administrator.',
  },
  consent_role_unverified: {
    status: 403,
    meaning: "The caller's directory roles could not be verified from a signed source.",
  },
  not_found: {
    status: 404,
    meaning:
      'No such resource or route for this tenant (the same answer whether it exists elsewhere).',
  },
  method_not_allowed: { status: 405, meaning: 'The route exists but not with this method.' },
  conflict: {
    status: 409,
    meaning: 'The change conflicts with existing data (e.g. a duplicate name).',
  },
  too_large: { status: 413, meaning: 'The request body is larger than allowed.' },
  unsupported_media_type: { status: 415, meaning: 'Unsupported charset or Content-Encoding.' },
  rate_limited: {
    status: 429,
    meaning: 'Too many requests; `retryAfterSeconds` and the Retry-After header say when to retry.',
  },
  internal: {
    status: 500,
    message: 'Something went wrong on our side; quote this error id to support.',
    meaning: 'An unexpected error; `errorId` is also in the log line with the stack.',
  },
  consent_unverified: {
    status: 502,
    meaning:
      'Microsoft issued no token for the organization, so the consent could not be verified.',
  },
  microsoft_unavailable: {
    status: 502,
    message: 'Microsoft 365 did not answer as expected; try again later.',
    meaning:
      'A Microsoft Graph/EWS call failed (MicrosoftError codes not listed here by their own name).',
  },
  ews_directory_not_configured: {
    status: 409,
    message:
      "This organisation's directory cannot be read: its EWS connection is missing, or lacks the Global Address List id (addressListId) or the mailbox to read it as (impersonationAddress). Set them with PUT /api/ews (or on the dashboard's EWS connection page).",
    meaning:
      "MicrosoftError EWS_DIRECTORY_NOT_CONFIGURED: an EWS-only organisation's directory (the Global Address List) is not set up; a configuration to fix, not an outage.",
  },
  ews_directory_unsupported: {
    status: 409,
    message:
      "An EWS-only organisation's Global Address List cannot give this (a group it does not hold, or a source mailbox's contact folder): use a mail-enabled distribution group, users or a filter, and manual or CSV entries instead of a source mailbox.",
    meaning:
      "MicrosoftError EWS_DIRECTORY_UNSUPPORTED: what an EWS-only organisation's directory (the Global Address List) cannot give; a configuration to change, not an outage.",
  },
  consent_revoked: {
    status: 409,
    message: 'The organization removed our app or its consent: consent again to resume.',
    meaning: 'MicrosoftError CONSENT_REVOKED: the tenant removed our app or its consent.',
  },
  throttled: {
    status: 503,
    message: 'Microsoft 365 is throttling us; try again in a moment.',
    meaning: 'MicrosoftError THROTTLED: Microsoft asked us to slow down.',
  },
  database_busy: {
    status: 503,
    message: 'The database is busy with other writes; nothing was changed. Retry in a moment.',
    meaning: 'The embedded SQLite stayed locked beyond our retries; nothing was written.',
  },
  stripe_signature_invalid: {
    status: 400,
    meaning:
      'A Stripe webhook delivery without a valid Stripe-Signature for its raw body (missing, wrong, stale or re-serialised); nothing was stored.',
  },
  billing_already_subscribed: {
    status: 409,
    meaning: 'Checkout was asked for an organization that already has a subscription.',
  },
  billing_not_subscribed: {
    status: 409,
    meaning:
      'The billing action needs a subscription (or a Stripe customer) the organization does not have yet.',
  },
  seats_below_usage: {
    status: 409,
    meaning:
      'Fewer seats than the mailboxes synced now; `details` say how many would stop being updated (send acceptFrozen: true to go ahead).',
  },
  stripe_unavailable: {
    status: 502,
    message: 'Stripe could not be reached or refused the request',
    meaning: 'A Stripe API request failed; nothing was changed on our side.',
  },
};
