import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Group,
  Stack,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import type { ManualEvent } from '../api/views-calendar';
import { ErrorState, Loading } from '../components/States';
import { manualEventsKey, useManualEvents } from './calendar-queries';

function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

const when = (e: ManualEvent) =>
  e.isAllDay
    ? `${e.start.date} (all day${e.end.date ? `, until ${e.end.date} exclusive` : ''})`
    : `${e.start.dateTime?.replace('T', ' ')} – ${e.end.dateTime?.replace('T', ' ')} (${e.start.timeZone})`;

/** A manual source's events: a table, an add form (all-day or timed) and delete. */
export function ManualEvents({
  listId,
  sourceId,
  readOnly,
}: {
  listId: string;
  sourceId: string;
  readOnly: boolean;
}) {
  const queryClient = useQueryClient();
  const events = useManualEvents(listId, sourceId);
  const [subject, setSubject] = useState('');
  const [allDay, setAllDay] = useState(true);
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [timeZone, setTimeZone] = useState(browserTimeZone());
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: manualEventsKey(listId, sourceId) });
  const add = useMutation({
    mutationFn: () =>
      unwrap<ManualEvent>(
        api.POST('/api/calendar-lists/{id}/sources/{sourceId}/events', {
          params: { path: { id: listId, sourceId } },
          body: (allDay
            ? { subject, start: { date: start }, end: { date: end } }
            : {
                subject,
                start: { dateTime: start, timeZone },
                end: { dateTime: end, timeZone },
              }) as never,
        }),
      ),
    onSuccess: () => {
      setSubject('');
      setStart('');
      setEnd('');
      return refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (eventId: string) =>
      unwrap(
        api.DELETE('/api/calendar-lists/{id}/sources/{sourceId}/events/{eventId}', {
          params: { path: { id: listId, sourceId, eventId } },
        }),
      ),
    onSuccess: refresh,
  });
  const error = add.error instanceof ApiError ? add.error : undefined;
  const known = ['subject', 'start', 'end'];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <Stack gap="sm">
      {events.isPending ? (
        <Loading what="events" />
      ) : events.isError ? (
        <ErrorState error={events.error} onRetry={() => events.refetch()} />
      ) : events.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No manual event yet{readOnly ? '.' : ': add one below.'}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={0}>
          <Table aria-label={`Manual events (${sourceId})`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Event</Table.Th>
                <Table.Th>When</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {events.data.items.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>{e.subject}</Table.Td>
                  <Table.Td>{when(e)}</Table.Td>
                  <Table.Td ta="right">
                    {!readOnly && (
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={`Delete event ${e.subject}`}
                        onClick={() => remove.mutate(e.id)}
                      >
                        ×
                      </ActionIcon>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {!readOnly && (
        <form onSubmit={submit} noValidate aria-label={`New event (${sourceId})`}>
          <Stack gap="sm">
            <TextInput
              label="Subject"
              value={subject}
              onChange={(e) => setSubject(e.currentTarget.value)}
              error={error?.fieldError('subject')}
              withAsterisk
            />
            <Checkbox
              label="All day"
              checked={allDay}
              onChange={(e) => {
                setAllDay(e.currentTarget.checked);
                setStart('');
                setEnd('');
              }}
            />
            <Group grow wrap="wrap" align="flex-start">
              <TextInput
                type={allDay ? 'date' : 'datetime-local'}
                label="Starts"
                value={start}
                onChange={(e) => setStart(e.currentTarget.value)}
                error={error?.fieldError('start')}
                withAsterisk
                style={{ minWidth: 180 }}
              />
              <TextInput
                type={allDay ? 'date' : 'datetime-local'}
                label={allDay ? 'Ends (the day after the last day)' : 'Ends'}
                value={end}
                onChange={(e) => setEnd(e.currentTarget.value)}
                error={error?.fieldError('end')}
                withAsterisk
                style={{ minWidth: 180 }}
              />
            </Group>
            {!allDay && (
              <TextInput
                label="Time zone"
                value={timeZone}
                onChange={(e) => setTimeZone(e.currentTarget.value)}
                error={error?.fieldError('start.timeZone')}
              />
            )}
            {add.isError && !known.some((f) => error?.fieldError(f)) && (
              <Alert color="red" role="alert" title="Not added">
                {(add.error as Error).message}
              </Alert>
            )}
            <Group>
              <Button type="submit" loading={add.isPending}>
                Add event
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
