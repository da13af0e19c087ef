import { isSignInRoute } from './rate-limit.module';

describe('isSignInRoute (the stricter per-IP limit)', () => {
  it.each([
    '/api/auth/login',
    '/api/auth/callback',
    '/api/onboarding/consent',
    '/api/onboarding/callback',
  ])('%s is a sign-in route', (path) => {
    expect(isSignInRoute(path)).toBe(true);
  });

  it.each([
    '/api/auth/me',
    '/api/auth/logout',
    '/api/tenant',
    '/api/lists',
    '/health/live',
    '/api/authx',
  ])('%s is not', (path) => {
    expect(isSignInRoute(path)).toBe(false);
  });
});
