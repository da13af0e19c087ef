import {
  Alert,
  Button,
  Checkbox,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import type { ManualEvent } from '../api/views-calendar';
import { EditDeleteActions } from '../components/EditDeleteActions';
import { ErrorState, Loading } from '../components/States';
import { TableHeader } from '../components/TableHeader';
import { manualEventsKey, useManualEvents } from './calendar-queries';
import {
  DAYS,
  describeRecurrence,
  formFromRecurrence,
  NO_RECURRENCE,
  recurrenceFromForm,
  weekdayOf,
  type Ends,
  type RecurrenceForm,
  type Repeat,
} from './event-recurrence-form';

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

const REPEATS: Array<{ value: Repeat; label: string }> = [
  { value: 'none', label: 'Does not repeat' },
  { value: 'daily', label: 'Daily' },
  { value: 'weekly', label: 'Weekly' },
  { value: 'absoluteMonthly', label: 'Monthly, on the start’s day' },
  { value: 'absoluteYearly', label: 'Yearly, on the start’s date' },
];
const ENDS: Array<{ value: Ends; label: string }> = [
  { value: 'noEnd', label: 'Never' },
  { value: 'endDate', label: 'On a date' },
  { value: 'numbered', label: 'After a number of times' },
];
// Problems the recurrence fields show themselves; any other recurrence problem goes under "Repeats".
const RECURRENCE_FIELDS = [
  'recurrence.pattern.interval',
  'recurrence.pattern.daysOfWeek',
  'recurrence.range.endDate',
  'recurrence.range.numberOfOccurrences',
];

/**
 * A manual source's events: a table, one form that adds an event or edits the one chosen
 * (all-day or timed, once or repeating), and delete. The API checks everything; its problems
 * are shown next to the field they name.
 */
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
  const subjectInput = useRef<HTMLInputElement>(null);
  const [editing, setEditing] = useState<ManualEvent | null>(null);
  const [subject, setSubject] = useState('');
  const [allDay, setAllDay] = useState(true);
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [timeZone, setTimeZone] = useState(browserTimeZone());
  const [rec, setRec] = useState<RecurrenceForm>(NO_RECURRENCE);
  // A relative pattern (made by a script) is kept as it is unless the admin picks another.
  const [keptRecurrence, setKeptRecurrence] = useState<ManualEvent['recurrence']>(null);
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: manualEventsKey(listId, sourceId) });
  const reset = () => {
    setEditing(null);
    setSubject('');
    setStart('');
    setEnd('');
    setRec(NO_RECURRENCE);
    setKeptRecurrence(null);
    save.reset();
  };
  const fields = () => {
    const recurrence = keptRecurrence ?? recurrenceFromForm(rec, start.slice(0, 10));
    return {
      subject,
      ...(allDay
        ? { start: { date: start }, end: { date: end } }
        : { start: { dateTime: start, timeZone }, end: { dateTime: end, timeZone } }),
      recurrence,
    };
  };
  const save = useMutation({
    mutationFn: () => {
      const { recurrence, ...rest } = fields();
      return unwrap<ManualEvent>(
        editing
          ? api.PATCH('/api/calendar-lists/{id}/sources/{sourceId}/events/{eventId}', {
              params: { path: { id: listId, sourceId, eventId: editing.id } },
              // null removes a recurrence the event had.
              body: { ...rest, recurrence: recurrence ?? null } as never,
            })
          : api.POST('/api/calendar-lists/{id}/sources/{sourceId}/events', {
              params: { path: { id: listId, sourceId } },
              body: { ...rest, ...(recurrence ? { recurrence } : {}) } as never,
            }),
      );
    },
    onSuccess: () => {
      reset();
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
    onSuccess: (_r, eventId) => {
      if (editing?.id === eventId) reset();
      return refresh();
    },
  });
  const edit = (e: ManualEvent) => {
    save.reset();
    setEditing(e);
    setSubject(e.subject);
    setAllDay(e.isAllDay);
    setStart(e.isAllDay ? (e.start.date ?? '') : (e.start.dateTime ?? '').slice(0, 16));
    setEnd(e.isAllDay ? (e.end.date ?? '') : (e.end.dateTime ?? '').slice(0, 16));
    if (e.start.timeZone) setTimeZone(e.start.timeZone);
    const form = formFromRecurrence(e.recurrence);
    setRec(form === 'relative' ? NO_RECURRENCE : form);
    setKeptRecurrence(form === 'relative' ? e.recurrence : null);
    subjectInput.current?.focus();
  };
  const error = save.error instanceof ApiError ? save.error : undefined;
  const exact = (field: string) => error?.problems.find((p) => p.field === field)?.message;
  const otherRecurrenceProblem = error?.problems.find(
    (p) => p.field.startsWith('recurrence') && !RECURRENCE_FIELDS.includes(p.field),
  )?.message;
  const known = ['subject', 'start', 'end', 'recurrence'];
  const setRepeat = (repeat: Repeat) => {
    setKeptRecurrence(null);
    const day = weekdayOf(start.slice(0, 10));
    setRec((r) => ({
      ...r,
      repeat,
      // A weekly series starts on the start's weekday unless other days were chosen.
      days: repeat === 'weekly' && r.days.length === 0 && day ? [day] : r.days,
    }));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const formName = editing ? `Edit event (${sourceId})` : `New event (${sourceId})`;
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
            <TableHeader columns={['Event', 'When']} actions />
            <Table.Tbody>
              {events.data.items.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>{e.subject}</Table.Td>
                  <Table.Td>
                    <div>{when(e)}</div>
                    {e.recurrence && (
                      <Text size="xs" c="dimmed">
                        {describeRecurrence(e.recurrence)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">
                    {!readOnly && (
                      <EditDeleteActions
                        what={`event ${e.subject}`}
                        size="compact-xs"
                        onEdit={() => edit(e)}
                        onDelete={() => remove.mutate(e.id)}
                      />
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {!readOnly && (
        <form onSubmit={submit} noValidate aria-label={formName}>
          <Stack gap="sm">
            {editing && (
              <Text size="sm" fw={600} role="status">
                Editing “{editing.subject}”: the next run updates it in every mailbox.
              </Text>
            )}
            <TextInput
              ref={subjectInput}
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
            <Select
              label="Repeats"
              data={REPEATS}
              value={keptRecurrence ? null : rec.repeat}
              placeholder={
                keptRecurrence ? `${describeRecurrence(keptRecurrence)} (kept)` : undefined
              }
              onChange={(v) => v && setRepeat(v as Repeat)}
              allowDeselect={false}
              error={otherRecurrenceProblem}
            />
            {!keptRecurrence && rec.repeat !== 'none' && (
              <>
                <Group grow wrap="wrap" align="flex-start">
                  <TextInput
                    type="number"
                    min={1}
                    max={99}
                    label={
                      {
                        daily: 'Every … days',
                        weekly: 'Every … weeks',
                        absoluteMonthly: 'Every … months',
                        absoluteYearly: 'Every … years',
                      }[rec.repeat]
                    }
                    value={rec.interval}
                    onChange={(e) => {
                      const interval = e.currentTarget.value;
                      setRec((r) => ({ ...r, interval }));
                    }}
                    error={exact('recurrence.pattern.interval')}
                    style={{ minWidth: 140 }}
                  />
                  <Select
                    label="Series ends"
                    data={ENDS}
                    value={rec.ends}
                    onChange={(v) => v && setRec((r) => ({ ...r, ends: v as Ends }))}
                    allowDeselect={false}
                    style={{ minWidth: 180 }}
                  />
                </Group>
                {rec.repeat === 'weekly' && (
                  <Checkbox.Group
                    label="On days"
                    value={rec.days}
                    onChange={(v) => setRec((r) => ({ ...r, days: v as RecurrenceForm['days'] }))}
                    error={exact('recurrence.pattern.daysOfWeek')}
                  >
                    <Group gap="sm" mt={4}>
                      {DAYS.map((d) => (
                        <Checkbox key={d.value} value={d.value} label={d.label} />
                      ))}
                    </Group>
                  </Checkbox.Group>
                )}
                {rec.ends === 'endDate' && (
                  <TextInput
                    type="date"
                    label="Last day of the series"
                    value={rec.endDate}
                    onChange={(e) => {
                      const endDate = e.currentTarget.value;
                      setRec((r) => ({ ...r, endDate }));
                    }}
                    error={exact('recurrence.range.endDate')}
                  />
                )}
                {rec.ends === 'numbered' && (
                  <TextInput
                    type="number"
                    min={1}
                    max={999}
                    label="Number of times"
                    value={rec.occurrences}
                    onChange={(e) => {
                      const occurrences = e.currentTarget.value;
                      setRec((r) => ({ ...r, occurrences }));
                    }}
                    error={exact('recurrence.range.numberOfOccurrences')}
                  />
                )}
              </>
            )}
            {save.isError && !known.some((f) => error?.fieldError(f)) && (
              <Alert color="red" role="alert" title={editing ? 'Not saved' : 'Not added'}>
                {(save.error as Error).message}
              </Alert>
            )}
            <Group>
              <Button type="submit" loading={save.isPending}>
                {editing ? 'Save event' : 'Add event'}
              </Button>
              {editing && (
                <Button variant="default" onClick={reset}>
                  Cancel editing
                </Button>
              )}
            </Group>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
