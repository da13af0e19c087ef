import { Group, Paper, SegmentedControl, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { api, unwrap } from '../api/client';
import type { paths } from '../api/admin-api';
import type { UserName } from '../api/views';
import { EmptyState, ErrorState, Loading } from '../components/States';

type Activity = paths['/api/activity']['get']['responses'][200]['content']['application/json'];

// Colours with 3:1 contrast on white and on Mantine's dark body, told apart by shape too.
const COLOR = {
  items: '#1c7ed6',
  synced: '#2b8a3e',
  failed: '#e03131',
  throttled: '#e8590c',
};

const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;

const shortDate = (iso: string) =>
  new Date(`${iso}T00:00:00Z`).toLocaleDateString(undefined, {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });

function Figure({ label, value }: { label: string; value: number }) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl">
        {value.toLocaleString()}
      </Text>
    </Paper>
  );
}

function ChartCard({
  title,
  summary,
  height = 240,
  children,
}: {
  title: string;
  summary: string;
  height?: number;
  children: React.ReactElement;
}) {
  return (
    <Paper withBorder p="md" radius="md" component="figure" m={0}>
      <Title order={3} size="h5" mb={4}>
        {title}
      </Title>
      {/* The figure in words, for screen readers and a glance. */}
      <Text size="sm" c="dimmed" mb="sm" component="figcaption">
        {summary}
      </Text>
      <div style={{ width: '100%', height }} aria-hidden>
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </Paper>
  );
}

/** Sync activity over time, items per mailbox, throttling and failures (GET /api/activity). */
export function ActivityScreen() {
  const [days, setDays] = useState('14');
  const activity = useQuery({
    queryKey: ['activity', days],
    queryFn: () =>
      unwrap<Activity>(
        api.GET('/api/activity', { params: { query: { days: Number(days), mailboxes: 15 } } }),
      ),
    refetchInterval: 30_000,
  });
  const ids = activity.data?.mailboxes.map((m) => m.mailboxId) ?? [];
  const names = useQuery({
    queryKey: ['directory', 'users', ids],
    enabled: ids.length > 0,
    staleTime: 5 * 60_000,
    queryFn: () =>
      unwrap<{ items: UserName[] }>(
        api.GET('/api/directory/users', { params: { query: { ids: ids.join(',') } } }),
      ),
  });
  const nameOf = (id: string) => {
    const u = names.data?.items.find((n) => n.id === id);
    return u?.displayName ?? u?.userPrincipalName ?? id.slice(0, 8);
  };

  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>Activity</Title>
        <SegmentedControl
          aria-label="Period"
          value={days}
          onChange={setDays}
          data={[
            { value: '7', label: '7 days' },
            { value: '14', label: '14 days' },
            { value: '30', label: '30 days' },
          ]}
        />
      </Group>
      {activity.isPending ? (
        <Loading what="the activity" />
      ) : activity.isError ? (
        <ErrorState error={activity.error} onRetry={() => activity.refetch()} />
      ) : activity.data.totals.runs === 0 ? (
        <EmptyState title="No sync in this period">
          Charts appear once a list has synced: open a contact list and choose “Sync now”, or give
          it a schedule.
        </EmptyState>
      ) : (
        <ActivityCharts data={activity.data} nameOf={nameOf} days={Number(days)} />
      )}
    </Stack>
  );
}

function ActivityCharts({
  data,
  nameOf,
  days,
}: {
  data: Activity;
  nameOf: (id: string) => string;
  days: number;
}) {
  const t = data.totals;
  const series = data.days.map((d) => ({ ...d, label: shortDate(d.date) }));
  const perMailbox = data.mailboxes.map((m) => ({ ...m, name: nameOf(m.mailboxId) }));
  const busiest = [...data.days].sort((a, b) => b.itemsWritten - a.itemsWritten)[0];
  const top = perMailbox[0];
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Figure label="Sync runs" value={t.runs} />
        <Figure label="Items written" value={t.itemsWritten} />
        <Figure label="Mailboxes synced" value={t.mailboxesSynced} />
        <Figure label="Mailboxes failed" value={t.mailboxesFailed} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <ChartCard
          title="Items written per day"
          summary={`${t.itemsWritten.toLocaleString()} contacts and events written in ${days} days; most on ${shortDate(busiest.date)} (${busiest.itemsWritten.toLocaleString()}).`}
        >
          <BarChart accessibilityLayer={false} data={series} margin={{ left: -12, right: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" fontSize={12} minTickGap={12} />
            <YAxis allowDecimals={false} fontSize={12} />
            <Tooltip />
            <Bar
              dataKey="itemsWritten"
              name="Items written"
              fill={COLOR.items}
              isAnimationActive={false}
            />
          </BarChart>
        </ChartCard>
        <ChartCard
          title="Mailboxes synced per day"
          summary={`${t.mailboxesSynced.toLocaleString()} mailboxes brought in step over ${plural(t.runs, 'run')}.`}
        >
          <LineChart accessibilityLayer={false} data={series} margin={{ left: -12, right: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" fontSize={12} minTickGap={12} />
            <YAxis allowDecimals={false} fontSize={12} />
            <Tooltip />
            <Line
              type="monotone"
              dataKey="mailboxesSynced"
              name="Mailboxes synced"
              stroke={COLOR.synced}
              strokeWidth={2}
              isAnimationActive={false}
            />
          </LineChart>
        </ChartCard>
        <ChartCard
          title="Throttling and failures per day"
          summary={
            t.mailboxesFailed === 0
              ? 'No mailbox failed or was throttled in this period.'
              : `${plural(t.mailboxesFailed, 'mailbox failure')}, ${t.mailboxesThrottled} of them throttled by Microsoft (retried by the next run); ${plural(t.runsFailed, 'run')} ended failed or partly failed.`
          }
        >
          <LineChart accessibilityLayer={false} data={series} margin={{ left: -12, right: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" fontSize={12} minTickGap={12} />
            <YAxis allowDecimals={false} fontSize={12} />
            <Tooltip />
            <Legend />
            <Line
              type="monotone"
              dataKey="mailboxesFailed"
              name="Failed"
              stroke={COLOR.failed}
              strokeWidth={2}
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="mailboxesThrottled"
              name="Throttled"
              stroke={COLOR.throttled}
              strokeWidth={2}
              strokeDasharray="5 3"
              isAnimationActive={false}
            />
          </LineChart>
        </ChartCard>
        <ChartCard
          title="Items per mailbox"
          height={Math.max(240, 60 + perMailbox.length * 26)}
          summary={
            top
              ? `The ${perMailbox.length} mailboxes that received the most; ${top.name} received ${top.itemsWritten.toLocaleString()} items.`
              : 'No mailbox received items in this period.'
          }
        >
          <BarChart
            accessibilityLayer={false}
            data={perMailbox}
            layout="vertical"
            margin={{ left: 8, right: 8 }}
          >
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" allowDecimals={false} fontSize={12} />
            <YAxis type="category" dataKey="name" width={110} fontSize={11} interval={0} />
            <Tooltip />
            <Bar
              dataKey="itemsWritten"
              name="Items written"
              fill={COLOR.items}
              isAnimationActive={false}
            />
          </BarChart>
        </ChartCard>
      </SimpleGrid>
    </Stack>
  );
}
