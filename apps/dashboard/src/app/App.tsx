import { AppShell, Burger, Group, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { setUnauthorizedHandler } from '../api/client';
import { ActivityScreen, AlertsScreen, AuditScreen, TokensScreen } from './screens-b';
import { BillingScreen } from '../billing/BillingScreen';
import { useBilling } from '../billing/billing-queries';
import { ErrorState, Loading } from '../components/States';
import { CalendarListEditor } from '../calendars/CalendarListEditor';
import { CalendarListsScreen } from '../calendars/CalendarListsScreen';
import { EwsConnectionScreen } from '../ews/EwsConnectionScreen';
import { ListEditor } from '../lists/ListEditor';
import { ListsScreen } from '../lists/ListsScreen';
import { Onboarding } from '../onboarding/Onboarding';
import { OperatorsScreen } from '../operators/OperatorsScreen';
import { ActingForBanner, TenantSwitcher } from '../operators/TenantSwitcher';
import { RunDetailScreen } from '../runs/RunDetailScreen';
import { RunsScreen } from '../runs/RunsScreen';
import { SignIn } from '../screens/SignIn';
import { SignOutButton } from '../screens/SignOutButton';
import { TenantSettingsScreen } from '../settings/TenantSettingsScreen';
import { Home } from './Home';
import { ME_KEY, useSession } from './session';

const NAV = [
  { to: '/onboarding', label: 'Getting started' },
  { to: '/lists', label: 'Contact lists' },
  { to: '/calendars', label: 'Calendar lists' },
  { to: '/runs', label: 'Runs' },
  { to: '/activity', label: 'Activity' },
  { to: '/alerts', label: 'Alerts' },
  { to: '/tokens', label: 'API tokens' },
  { to: '/audit', label: 'Audit log' },
  { to: '/operators', label: 'Operators' },
  { to: '/settings', label: 'Organization' },
  { to: '/ews', label: 'Exchange on-premises' },
];

export function App() {
  const session = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const [opened, { toggle, close }] = useDisclosure(false);
  // Billing shows only where the deployment bills (its routes answer 404 otherwise).
  const billing = useBilling(session.data?.tenantStatus === 'active');

  // An expired session (any 401) returns to sign-in, keeping where the admin was.
  useEffect(() => {
    setUnauthorizedHandler(() => {
      queryClient.setQueryData(ME_KEY, null);
    });
  }, [queryClient]);
  useEffect(close, [location.pathname, close]);

  if (session.isPending) return <Loading what="your session" />;
  if (session.isError)
    return <ErrorState error={session.error} onRetry={() => session.refetch()} />;
  const me = session.data;
  if (!me) return <SignIn />;
  const onboarded = me.tenantStatus === 'active';

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? 'Close navigation' : 'Open navigation'}
            />
            <Title order={1} size="h4">
              Contact Sync
            </Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" c="dimmed" visibleFrom="sm" truncate maw={260}>
              {me.username ?? me.name}
            </Text>
            <SignOutButton />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        <TenantSwitcher me={me} />
        {(billing.data ? [...NAV, { to: '/billing', label: 'Billing' }] : NAV).map((item) => (
          <NavLink
            key={item.to}
            component={Link}
            to={item.to}
            label={item.label}
            active={location.pathname.startsWith(item.to)}
            onClick={() => navigate(item.to)}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <ActingForBanner me={me} />
        <Routes>
          <Route path="/" element={<Home onboarded={onboarded} />} />
          <Route path="/onboarding" element={<Onboarding me={me} />} />
          <Route path="/lists" element={<ListsScreen />} />
          <Route path="/lists/new" element={<ListEditor />} />
          <Route path="/lists/:id" element={<ListEditor />} />
          <Route path="/calendars" element={<CalendarListsScreen />} />
          <Route path="/calendars/new" element={<CalendarListEditor />} />
          <Route path="/calendars/:id" element={<CalendarListEditor />} />
          <Route path="/ews" element={<EwsConnectionScreen />} />
          <Route path="/runs" element={<RunsScreen />} />
          <Route path="/runs/:id" element={<RunDetailScreen />} />
          <Route path="/activity" element={<ActivityScreen />} />
          <Route path="/alerts" element={<AlertsScreen />} />
          <Route path="/tokens" element={<TokensScreen />} />
          <Route path="/audit" element={<AuditScreen />} />
          <Route path="/operators" element={<OperatorsScreen />} />
          <Route path="/settings" element={<TenantSettingsScreen />} />
          <Route path="/billing" element={<BillingScreen />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </AppShell.Main>
    </AppShell>
  );
}
