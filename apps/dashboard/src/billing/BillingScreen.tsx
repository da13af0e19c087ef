import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  List,
  NumberInput,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { ApiError } from '../api/api-error';
import { useCanEdit } from '../app/can-edit';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { useLists, useRuns } from '../lists/queries';
import { canChangeSeats, canSubscribe, planOf, wouldFreeze } from './billing-plan';
import { BILLING_KEY, useBilling, useBillingUsage, type BillingOverview } from './billing-queries';

const NOTICES: Record<string, { title: string; text: string; color: string }> = {
  payment_failed: {
    title: 'A payment failed',
    text: 'Stripe could not charge the payment method. Update it in the customer portal before the grace period ends.',
    color: 'orange',
  },
  async_payment_failed: {
    title: 'The payment did not go through',
    text: 'The bank debit of your subscription failed. Open the customer portal to pay another way.',
    color: 'orange',
  },
  payment_pending: {
    title: 'Payment pending',
    text: 'Your subscription starts once the bank confirms the payment (bank debits take a few days).',
    color: 'blue',
  },
  trial_will_end: {
    title: 'Your trial ends soon',
    text: 'Add a payment method in the customer portal to keep your seats.',
    color: 'blue',
  },
};

/** Plan, seats, usage and the Stripe actions (Checkout, Customer Portal, seat changes). */
export function BillingScreen() {
  const billing = useBilling();
  const [params] = useSearchParams();
  const checkout = params.get('checkout');
  if (billing.isPending) return <Loading what="billing" />;
  if (billing.isError)
    return <ErrorState error={billing.error} onRetry={() => billing.refetch()} />;
  if (!billing.data)
    return (
      <EmptyState title="Billing is off">
        This deployment is not billed: every targeted mailbox is synced.
      </EmptyState>
    );
  const b = billing.data;
  return (
    <Stack gap="md">
      <Title order={2}>Billing</Title>
      {checkout === 'success' && (
        <Alert color="green" title="Thank you" role="status">
          Checkout is complete. Your seats apply as soon as Stripe confirms the subscription,
          usually within seconds.
        </Alert>
      )}
      {checkout === 'cancel' && (
        <Alert color="gray" title="Checkout cancelled" role="status">
          Nothing was charged and nothing changed.
        </Alert>
      )}
      <Notices b={b} />
      <PlanPanel b={b} />
      <Unentitled b={b} />
      <Actions b={b} />
      <Usage />
    </Stack>
  );
}

function Notices({ b }: { b: BillingOverview }) {
  const canEdit = useCanEdit();
  if (b.notice === 'payment_action_required')
    return (
      <Alert color="red" title="Confirm the payment" role="alert">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">
            Your bank asks you to confirm the latest payment (strong customer authentication). Until
            it is confirmed the invoice stays open and the subscription falls overdue.
          </Text>
          {canEdit && b.paymentActionUrl ? (
            <Button component="a" href={b.paymentActionUrl} color="red">
              Confirm the payment
            </Button>
          ) : (
            <Text size="sm">An admin of your organization must confirm it.</Text>
          )}
        </Stack>
      </Alert>
    );
  const notice = b.notice ? NOTICES[b.notice] : undefined;
  if (!notice) return null;
  return (
    <Alert color={notice.color} title={notice.title} role="alert">
      {notice.text}
    </Alert>
  );
}

function PlanPanel({ b }: { b: BillingOverview }) {
  const plan = planOf(b);
  const used = b.mailboxLimit > 0 ? Math.min(100, (b.syncedMailboxes / b.mailboxLimit) * 100) : 100;
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      <Paper withBorder p="md" radius="md">
        <Stack gap="xs">
          <Group gap="xs">
            <Text fw={600}>Plan</Text>
            <Badge color={plan.color} variant="light">
              {plan.label}
            </Badge>
          </Group>
          <Text size="sm">{plan.summary}</Text>
          {b.currentPeriodEnd && b.status !== 'canceled' && (
            <Text size="sm" c="dimmed">
              Current period ends {new Date(b.currentPeriodEnd).toLocaleDateString()}.
            </Text>
          )}
        </Stack>
      </Paper>
      <Paper withBorder p="md" radius="md">
        <Stack gap="xs">
          <Text fw={600}>Seats</Text>
          <Text size="sm" data-testid="seats-used">
            {`${b.syncedMailboxes} mailboxes synced; your plan covers ${b.mailboxLimit}`}
          </Text>
          <Progress
            value={used}
            color={b.syncedMailboxes >= b.mailboxLimit ? 'orange' : 'blue'}
            aria-label="Seats used"
          />
          <Text size="sm" c="dimmed">
            {b.seats > 0
              ? `${b.seats} seats subscribed, the first ${b.freeMailboxes} free.`
              : `${b.freeMailboxes} mailboxes are free; each mailbox counts once, however many lists reach it.`}
          </Text>
        </Stack>
      </Paper>
    </SimpleGrid>
  );
}

/** The mailboxes the last run of each list could not sync, and why. */
function Unentitled({ b }: { b: BillingOverview }) {
  const runs = useRuns();
  const lists = useLists();
  if (runs.isPending) return <Loading what="the last runs" />;
  if (runs.isError) return <ErrorState error={runs.error} onRetry={() => runs.refetch()} />;
  const latest = new Map<string, (typeof runs.data.items)[number]>();
  for (const r of runs.data.items)
    if (r.mode === 'sync' && !latest.has(r.listId)) latest.set(r.listId, r);
  const frozen = [...latest.values()].filter((r) => (r.mailboxes.unentitled ?? 0) > 0);
  const total = frozen.reduce((n, r) => n + (r.mailboxes.unentitled ?? 0), 0);
  const name = (id: string) => lists.data?.items.find((l) => l.id === id)?.name ?? 'A list';
  if (!frozen.length)
    return (
      <Text size="sm" c="dimmed">
        Every mailbox your lists target is covered by your plan.
      </Text>
    );
  return (
    <Alert
      color="orange"
      title={`${total} targeted mailboxes are not synced`}
      role="status"
      data-testid="unentitled"
    >
      <Stack gap="xs">
        <Text size="sm">
          {b.mailboxLimit === 0
            ? 'Billing is cancelled, so no mailbox is updated. '
            : `They are beyond the ${b.mailboxLimit} mailboxes your plan covers. `}
          They keep what they already have (frozen) and nothing is deleted. Mailboxes synced before
          come first, then the others by name; more seats bring the rest back at the next run.
        </Text>
        <List size="sm">
          {frozen.map((r) => (
            <List.Item key={r.listId}>
              <Anchor component={Link} to={`/runs/${r.id}`}>
                {name(r.listId)}
              </Anchor>
              {`: ${r.mailboxes.unentitled} of ${r.mailboxes.total + (r.mailboxes.unentitled ?? 0)} mailboxes not synced in its last run`}
            </List.Item>
          ))}
        </List>
      </Stack>
    </Alert>
  );
}

/** Subscribe, manage, change seats: admins only (a Viewer sees the facts, no buttons). */
function Actions({ b }: { b: BillingOverview }) {
  const canEdit = useCanEdit();
  const queryClient = useQueryClient();
  const [seats, setSeats] = useState<number | string>(
    Math.max(b.seats, b.syncedMailboxes, b.freeMailboxes + 1),
  );
  const [accept, setAccept] = useState(false);
  const redirect = ({ url }: { url: string }) => window.location.assign(url);
  const subscribe = useMutation({
    mutationFn: () =>
      unwrap<{ url: string }>(
        api.POST('/api/billing/checkout', { body: { seats: Number(seats) } }),
      ),
    onSuccess: redirect,
  });
  const portal = useMutation({
    mutationFn: () => unwrap<{ url: string }>(api.POST('/api/billing/portal')),
    onSuccess: redirect,
  });
  const change = useMutation({
    mutationFn: () =>
      unwrap<BillingOverview>(
        api.PUT('/api/billing/seats', { body: { seats: Number(seats), acceptFrozen: accept } }),
      ),
    onSuccess: (overview) => {
      queryClient.setQueryData(BILLING_KEY, overview);
      setAccept(false);
    },
  });
  if (!canEdit) return null;
  const n = Number(seats);
  const freeze = Number.isInteger(n) && n > 0 ? wouldFreeze(b, n) : 0;
  const failed = [subscribe, portal, change].find((m) => m.isError)?.error;
  const seatsError = failed instanceof ApiError ? failed.fieldError('seats') : undefined;

  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Title order={3} size="h4">
          {canSubscribe(b) ? 'Subscribe' : 'Your subscription'}
        </Title>
        {(canSubscribe(b) || canChangeSeats(b)) && (
          <NumberInput
            label="Seats (mailboxes)"
            description={`Each synced mailbox is a seat; the first ${b.freeMailboxes} cost nothing.`}
            min={1}
            max={100_000}
            allowDecimal={false}
            value={seats}
            onChange={(v) => {
              setSeats(v);
              setAccept(false);
            }}
            error={seatsError}
            maw={320}
          />
        )}
        {canChangeSeats(b) && freeze > 0 && (
          <Alert color="orange" title="Fewer seats than synced mailboxes" role="alert">
            <Stack gap="xs">
              <Text size="sm">
                {`${b.syncedMailboxes} mailboxes are synced now. With ${n} seats, ${freeze} of them would stop being updated: they keep what they have, nothing is deleted, and they come back when you add seats.`}
              </Text>
              <Checkbox
                label={`Stop updating ${freeze} mailboxes`}
                checked={accept}
                onChange={(e) => setAccept(e.currentTarget.checked)}
              />
            </Stack>
          </Alert>
        )}
        <Group>
          {canSubscribe(b) && (
            <Button onClick={() => subscribe.mutate()} loading={subscribe.isPending}>
              Subscribe with Stripe
            </Button>
          )}
          {canChangeSeats(b) && (
            <Button
              onClick={() => change.mutate()}
              loading={change.isPending}
              disabled={n === b.seats || (freeze > 0 && !accept)}
            >
              Change seats
            </Button>
          )}
          {b.hasCustomer && (
            <Button variant="light" onClick={() => portal.mutate()} loading={portal.isPending}>
              Payment methods and invoices
            </Button>
          )}
        </Group>
        {change.isSuccess && (
          <Text size="sm" role="status">{`Seats changed to ${change.data.seats}.`}</Text>
        )}
        {failed && !seatsError && (
          <Alert color="red" role="alert">
            {(failed as Error).message}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

function Usage() {
  const usage = useBillingUsage(30);
  if (usage.isPending || usage.isError || usage.data.days.length === 0) return null;
  const peak = usage.data.days.reduce((m, d) => Math.max(m, d.mailboxes), 0);
  const last = usage.data.days[usage.data.days.length - 1];
  return (
    <Text size="sm" c="dimmed">
      {`Usage: ${last.mailboxes} mailboxes synced on ${last.day}; at most ${peak} a day over the last 30 days.`}
    </Text>
  );
}
