import type { AppConfig } from './app-config';

/**
 * What the admin API needs beyond the common settings. In production the redirect URIs must
 * not follow a request's Host header, so ADMIN_PUBLIC_URL is required there; workers do not
 * serve sign-in and start without it.
 */
export function adminApiConfigProblems(config: AppConfig): string[] {
  const problems: string[] = [];
  if (config.env === 'production' && !config.admin.publicUrl)
    problems.push(
      'ADMIN_PUBLIC_URL: required in production (the public https:// base of the sign-in and consent redirect URIs, e.g. https://sync.example.com); without it they would follow the Host header',
    );
  return problems;
}
