import { TenantCleanupRepository } from './tenant-cleanup.repository';

describe('TenantCleanupRepository state machine', () => {
  it('allows requested → cleaning → wiping → revoked, failed from each, and a retry of failed', () => {
    expect(TenantCleanupRepository.allows('requested', 'cleaning')).toBe(true);
    expect(TenantCleanupRepository.allows('cleaning', 'wiping')).toBe(true);
    expect(TenantCleanupRepository.allows('wiping', 'revoked')).toBe(true);
    for (const from of ['requested', 'cleaning', 'wiping'] as const)
      expect(TenantCleanupRepository.allows(from, 'failed')).toBe(true);
    expect(TenantCleanupRepository.allows('failed', 'requested')).toBe(true);
  });

  it('refuses skipping a step and leaving revoked', () => {
    expect(TenantCleanupRepository.allows('requested', 'wiping')).toBe(false);
    expect(TenantCleanupRepository.allows('cleaning', 'revoked')).toBe(false);
    for (const to of ['requested', 'cleaning', 'wiping', 'failed'] as const)
      expect(TenantCleanupRepository.allows('revoked', to)).toBe(false);
  });
});
