/**
 * Entra ID errors that mean our app can no longer act in the tenant: the service principal
 * was deleted, consent withdrawn, or the tenant is gone. Retrying these only loops.
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */
export const CONSENT_LOST_AADSTS = [
  'AADSTS7000229', // missing service principal in the tenant
  'AADSTS700016', // application not found in the directory
  'AADSTS65001', // consent not granted
  'AADSTS90002', // tenant not found
  'AADSTS500011', // resource principal not found in the tenant
  'AADSTS7000112', // application is disabled
];
