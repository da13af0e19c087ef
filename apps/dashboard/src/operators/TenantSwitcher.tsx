import { Alert, Select, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { actingTenant, setActingTenant } from '../api/acting-tenant';
import type { Me } from '../api/views';
import { useManagedTenants } from './operator-queries';

const OWN = 'own';

/**
 * An MSP operator's tenant switcher: their own organization or one they hold a grant on. Every
 * request then carries X-Tenant-Id, and the API gives the grant's role (Admin or Viewer).
 */
export function TenantSwitcher({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const tenants = useManagedTenants(me.kind === 'session');
  const items = tenants.data?.items ?? [];
  if (items.length === 0) return null;
  const current = actingTenant() ?? OWN;
  const data = [
    { value: OWN, label: 'My organization' },
    ...items.map((t) => ({
      value: t.tenantId,
      label: `${t.displayName ?? t.azureTenantId ?? t.tenantId} (${t.role === 'admin' ? 'Admin' : 'Viewer'})`,
    })),
  ];
  return (
    <Select
      label="Organization"
      description="As an MSP operator you act for"
      data={data}
      value={current}
      allowDeselect={false}
      onChange={(value) => {
        if (!value || value === current) return;
        setActingTenant(value === OWN ? null : value);
        // Everything cached belongs to the tenant acted for until now.
        queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'operator' });
        navigate('/');
      }}
      mb="sm"
    />
  );
}

/** Says, above every screen, for which organization and in which role an operator acts. */
export function ActingForBanner({ me }: { me: Me }) {
  const tenants = useManagedTenants(me.kind === 'session');
  const acting = me.operator
    ? tenants.data?.items.find((t) => t.tenantId === me.operator!.tenantId)
    : null;
  if (!me.operator) return null;
  return (
    <Alert color="blue" variant="light" mb="md" role="status" title="Acting as MSP operator">
      <Text size="sm">
        You act for {acting?.displayName ?? acting?.azureTenantId ?? 'a managed organization'} as{' '}
        {me.role === 'admin' ? 'Admin' : 'Viewer'}
        {me.role === 'admin' ? '.' : ': you can read, not change.'}
      </Text>
    </Alert>
  );
}
