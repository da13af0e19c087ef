import {
  Alert,
  Anchor,
  Button,
  List,
  Paper,
  Stack,
  Stepper,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { Me } from '../api/views';
import { useCanEdit } from '../app/can-edit';
import { ME_KEY } from '../app/session';
import { ErrorState, Loading } from '../components/States';
import { ListForm } from '../lists/ListForm';
import { PreviewPanel } from '../lists/PreviewPanel';
import { useLists, useRuns, useTargets, useTenant } from '../lists/queries';
import { TargetsEditor } from '../lists/TargetsEditor';
import { SyncNowButton } from '../runs/SyncNowButton';
import { PERMISSION_REASONS } from './permission-reasons';

const STEPS = [
  { label: 'Grant consent', description: 'Once, by an administrator' },
  { label: 'Create your first list', description: 'Which contacts to share' },
  { label: 'Choose who receives it', description: 'A group of mailboxes' },
  { label: 'Preview', description: 'Nothing is written yet' },
  { label: 'First sync', description: 'Write to the mailboxes' },
];

/** On a phone the steps are a row of numbers; the current step's name heads its content. */
function StepTitle({ wide, index }: { wide: boolean; index: number }) {
  if (wide) return null;
  return (
    <Text fw={700} mb="xs">
      {`Step ${index + 1} of ${STEPS.length}: ${STEPS[index].label}`}
    </Text>
  );
}

const CONSENT_ERRORS: Record<string, string> = {
  consent_denied: 'Consent was not granted, so nothing was set up. Try again when ready.',
  invalid_state: 'The consent took too long or came from another sign-in: start it again.',
  tenant_mismatch: 'Consent came back for another organization: nothing was recorded.',
  consent_unverified:
    'Microsoft did not yet issue our app a token for your organization: try again in a minute.',
};

/**
 * The first steps, resumable: each step's completion is read from the server (consent from the
 * tenant, the first list, its targets, its runs), so leaving half way and coming back (or
 * signing in on another device) opens the wizard where it was left.
 */
export function Onboarding({ me }: { me: Me }) {
  const [params] = useSearchParams();
  // Labelled steps beside the content from 48em; a compact row of step numbers below.
  const wide = useMediaQuery('(min-width: 48em)', true) ?? true;
  const stepProps = (i: number) =>
    wide
      ? { label: STEPS[i].label, description: STEPS[i].description }
      : { label: <VisuallyHidden>{STEPS[i].label}</VisuallyHidden> };
  const queryClient = useQueryClient();
  const tenant = useTenant();
  // Consent needs a directory role (checked by the API); the later steps need Sync.Admin.
  const canEdit = useCanEdit();
  const active = tenant.data?.status === 'active';
  const lists = useLists();
  const first = active ? lists.data?.items[0] : undefined;
  const targets = useTargets(first?.id);
  const runs = useRuns(first?.id);
  // A preview started here stays on screen until the admin moves on; one finished earlier
  // (before leaving half way) counts as done.
  const [previewing, setPreviewing] = useState(false);
  const [previewReady, setPreviewReady] = useState(false);
  const [continued, setContinued] = useState(false);
  // Consent just recorded: the session's view of the tenant (navigation, redirects) follows.
  useEffect(() => {
    if (active && me.tenantStatus !== 'active') queryClient.invalidateQueries({ queryKey: ME_KEY });
  }, [active, me.tenantStatus, queryClient]);

  if (tenant.isPending || (active && lists.isPending)) return <Loading what="your setup" />;
  if (tenant.isError) return <ErrorState error={tenant.error} onRetry={() => tenant.refetch()} />;

  const hasTargets = (targets.data?.length ?? 0) > 0;
  const hadPreview =
    continued ||
    (!previewing && !!runs.data?.items.some((r) => r.mode === 'dry_run' && r.finishedAt));
  const firstSync = runs.data?.items.find((r) => r.mode === 'sync');
  const step = !active ? 0 : !first ? 1 : !hasTargets ? 2 : !hadPreview ? 3 : !firstSync ? 4 : 5;
  const consentError = params.get('consent_error');
  const permissions = tenant.data.requiredPermissions ?? [
    ...(tenant.data.grantedPermissions ?? []),
    ...(tenant.data.missingPermissions ?? []),
  ];

  return (
    <Stack gap="md" maw={880}>
      <Title order={2}>Getting started</Title>
      {active && !canEdit && (
        <Alert color="blue" title="Read only">
          An administrator (the Sync.Admin role) completes these steps; you see where they are.
        </Alert>
      )}
      <Stepper
        active={step}
        orientation={wide ? 'vertical' : 'horizontal'}
        size={wide ? 'md' : 'sm'}
        aria-label="Onboarding steps"
      >
        <Stepper.Step {...stepProps(0)}>
          <StepTitle wide={wide} index={0} />
          <Paper withBorder p="md" radius="md">
            <Stack gap="sm">
              {consentError && (
                <Alert color="red" role="alert" title="Consent not recorded">
                  {CONSENT_ERRORS[consentError] ?? `Consent failed (${consentError}).`}
                </Alert>
              )}
              <Text>
                Contact Sync needs these Microsoft Graph permissions for your whole organization:
              </Text>
              <List
                spacing="xs"
                aria-label="Permissions requested"
                style={{ overflowWrap: 'anywhere' }}
              >
                {permissions.map((p) => (
                  <List.Item key={p}>
                    <Text span fw={600}>
                      {p}
                    </Text>
                    {' — '}
                    {PERMISSION_REASONS[p] ?? 'needed by the sync.'}
                  </List.Item>
                ))}
              </List>
              <Text size="sm" c="dimmed">
                A Global Administrator or Privileged Role Administrator accepts them on Microsoft’s
                page; you come back here afterwards.
              </Text>
              <Button component="a" href="/api/onboarding/consent" w="fit-content">
                Grant admin consent
              </Button>
            </Stack>
          </Paper>
        </Stepper.Step>
        <Stepper.Step {...stepProps(1)}>
          <StepTitle wide={wide} index={1} />
          <Paper withBorder p="md" radius="md">
            <ListForm onSaved={() => undefined} readOnly={!canEdit} />
          </Paper>
        </Stepper.Step>
        <Stepper.Step {...stepProps(2)}>
          <StepTitle wide={wide} index={2} />
          <Paper withBorder p="md" radius="md">
            {first && <TargetsEditor listId={first.id} readOnly={!canEdit} />}
          </Paper>
        </Stepper.Step>
        <Stepper.Step {...stepProps(3)}>
          <StepTitle wide={wide} index={3} />
          <Stack gap="sm">
            {first && canEdit && (
              <PreviewPanel
                listId={first.id}
                onStarted={() => setPreviewing(true)}
                onReady={() => setPreviewReady(true)}
              />
            )}
            {previewReady && (
              <Button w="fit-content" onClick={() => setContinued(true)}>
                Continue to the first sync
              </Button>
            )}
          </Stack>
        </Stepper.Step>
        <Stepper.Step {...stepProps(4)}>
          <StepTitle wide={wide} index={4} />
          <Paper withBorder p="md" radius="md">
            <Stack gap="sm">
              <Text>Everything is ready: the first sync writes the contacts to each mailbox.</Text>
              {first && canEdit && <SyncNowButton listId={first.id} />}
            </Stack>
          </Paper>
        </Stepper.Step>
        <Stepper.Completed>
          <Alert color="green" title="You are set up">
            <Stack gap="xs">
              <Text size="sm">Your first list is syncing. Follow it, or add more lists.</Text>
              {firstSync && (
                <Anchor component={Link} to={`/runs/${firstSync.id}`}>
                  Open the first sync
                </Anchor>
              )}
              <Anchor component={Link} to="/lists">
                Contact lists
              </Anchor>
            </Stack>
          </Alert>
        </Stepper.Completed>
      </Stepper>
    </Stack>
  );
}
