import { Alert, Button, Group, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import type { ScheduleView } from '../api/views-admin';
import { ErrorState, Loading } from '../components/States';

const PRESETS = [
  { value: '0 6 * * *', label: 'Every day at 06:00' },
  { value: '0 6 * * 1-5', label: 'Working days at 06:00' },
  { value: '0 */4 * * *', label: 'Every 4 hours' },
  { value: '0 * * * *', label: 'Every hour' },
  { value: 'custom', label: 'Custom (cron)' },
];

const scheduleKey = (listId: string) => ['lists', listId, 'schedule'] as const;

function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  try {
    return ['UTC', ...(intl.supportedValuesOf?.('timeZone') ?? [])];
  } catch {
    return ['UTC'];
  }
}

type Kind = 'contacts' | 'calendar';

function ScheduleForm({
  listId,
  current,
  kind,
}: {
  listId: string;
  current: ScheduleView | null;
  kind: Kind;
}) {
  const queryClient = useQueryClient();
  const preset0 = current
    ? (PRESETS.find((p) => p.value === current.cron)?.value ?? 'custom')
    : PRESETS[0].value;
  const [preset, setPreset] = useState<string>(preset0);
  const [cron, setCron] = useState(current?.cron ?? PRESETS[0].value);
  const [timeZone, setTimeZone] = useState<string | null>(current?.timeZone ?? browserTimeZone());
  const [enabled, setEnabled] = useState(current?.enabled ?? true);
  const zones = timeZones();
  const save = useMutation({
    mutationFn: () => {
      const init = {
        params: { path: { id: listId } },
        body: { cron: preset === 'custom' ? cron : preset, timeZone: timeZone ?? 'UTC', enabled },
      };
      return unwrap<ScheduleView>(
        kind === 'calendar'
          ? api.PUT('/api/calendar-lists/{id}/schedule', init)
          : api.PUT('/api/lists/{id}/schedule', init),
      );
    },
    onSuccess: (saved) => queryClient.setQueryData(scheduleKey(listId), saved),
  });
  const remove = useMutation({
    mutationFn: () => {
      const init = { params: { path: { id: listId } } };
      return unwrap(
        kind === 'calendar'
          ? api.DELETE('/api/calendar-lists/{id}/schedule', init)
          : api.DELETE('/api/lists/{id}/schedule', init),
      );
    },
    onSuccess: () => queryClient.setQueryData(scheduleKey(listId), null),
  });
  const error = save.error instanceof ApiError ? save.error : undefined;
  const cronError = error?.fieldError('cron');
  const zoneError = error?.fieldError('timeZone');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Schedule">
      <Stack gap="sm">
        <Select
          label="Runs"
          data={PRESETS}
          value={preset}
          onChange={(v) => v && setPreset(v)}
          allowDeselect={false}
          error={preset !== 'custom' ? cronError : undefined}
        />
        {preset === 'custom' && (
          <TextInput
            label="Cron pattern"
            description="Five fields: minute hour day-of-month month day-of-week, e.g. 30 5 * * 1-5"
            value={cron}
            onChange={(e) => setCron(e.currentTarget.value)}
            error={cronError}
          />
        )}
        <Select
          label="Time zone"
          data={zones}
          value={timeZone}
          onChange={setTimeZone}
          searchable
          error={zoneError}
        />
        <Switch
          label="Enabled"
          checked={enabled}
          onChange={(e) => setEnabled(e.currentTarget.checked)}
        />
        {save.isError && !cronError && !zoneError && (
          <Alert color="red" role="alert" title="Not saved">
            {(save.error as Error).message}
          </Alert>
        )}
        {remove.isError && (
          <Alert color="red" role="alert">
            {(remove.error as Error).message}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={save.isPending}>
            {current ? 'Save schedule' : 'Set schedule'}
          </Button>
          {current && (
            <Button
              variant="subtle"
              color="red"
              loading={remove.isPending}
              onClick={() => remove.mutate()}
            >
              Remove schedule
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}

/** When the list runs by itself: a preset or a cron pattern in a time zone, and the next runs. */
export function ScheduleEditor({
  listId,
  readOnly,
  kind = 'contacts',
}: {
  listId: string;
  readOnly: boolean;
  kind?: Kind;
}) {
  const schedule = useQuery({
    queryKey: scheduleKey(listId),
    queryFn: async () => {
      try {
        const init = { params: { path: { id: listId } } };
        return await unwrap<ScheduleView>(
          kind === 'calendar'
            ? api.GET('/api/calendar-lists/{id}/schedule', init)
            : api.GET('/api/lists/{id}/schedule', init),
        );
      } catch (error) {
        // No schedule yet: the list runs only when someone presses "Sync now".
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
  if (schedule.isPending) return <Loading what="the schedule" />;
  if (schedule.isError)
    return <ErrorState error={schedule.error} onRetry={() => schedule.refetch()} />;
  const s = schedule.data;
  return (
    <Stack gap="sm">
      {s ? (
        <Text size="sm">
          {s.enabled ? 'Next runs: ' : 'Paused. It would run: '}
          {s.next.map((t) => new Date(t).toLocaleString()).join(' · ')} ({s.timeZone})
        </Text>
      ) : (
        <Text size="sm" c="dimmed">
          No schedule: the list runs when someone presses “Sync now”.
          {readOnly ? '' : ' Set one so the mailboxes stay in step by themselves.'}
        </Text>
      )}
      {!readOnly && (
        <ScheduleForm
          key={s ? `${s.cron}|${s.timeZone}|${s.enabled}` : 'none'}
          listId={listId}
          current={s}
          kind={kind}
        />
      )}
    </Stack>
  );
}
