import {
  Alert,
  Button,
  Fieldset,
  Group,
  Menu,
  NumberInput,
  Radio,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import type { CalendarList, CalendarSettings, CalendarSource, ShowAs } from '../api/views-calendar';
import { calendarListKey, calendarListsKey } from './calendar-queries';
import { HolidayPicker } from './HolidayPicker';
import { MailboxSourcePicker } from './MailboxSourcePicker';

const KIND_LABEL: Record<CalendarSource['kind'], string> = {
  holidays: 'Public holidays',
  'ics-feed': 'iCalendar feed (URL)',
  'ics-upload': 'Uploaded .ics file',
  manual: 'Manual events',
  'mailbox-calendar': 'A mailbox’s calendar',
};
const KIND_ID: Record<CalendarSource['kind'], string> = {
  holidays: 'holidays',
  'ics-feed': 'feed',
  'ics-upload': 'upload',
  manual: 'manual',
  'mailbox-calendar': 'mailbox',
};
const SHOW_AS: Array<{ value: ShowAs; label: string }> = [
  { value: 'busy', label: 'Busy' },
  { value: 'free', label: 'Free' },
  { value: 'tentative', label: 'Tentative' },
  { value: 'oof', label: 'Out of office' },
  { value: 'workingElsewhere', label: 'Working elsewhere' },
];

function newSource(kind: CalendarSource['kind'], taken: CalendarSource[]): CalendarSource {
  let id = KIND_ID[kind];
  for (let n = 2; taken.some((s) => s.id === id); n++) id = `${KIND_ID[kind]}-${n}`;
  switch (kind) {
    case 'holidays':
      return { id, kind, country: '' };
    case 'ics-feed':
      return { id, kind, url: '' };
    case 'mailbox-calendar':
      return { id, kind, mailboxId: '' };
    default:
      return { id, kind };
  }
}

/**
 * A calendar list's settings: its sources (holidays, a feed, an uploaded file, manual events, a
 * mailbox's calendar), the window, where the events go, show-as and reminder. The API checks
 * everything; its problems are shown next to the field they name.
 */
export function CalendarListForm({
  list,
  onSaved,
  readOnly = false,
}: {
  list?: CalendarList;
  onSaved: (list: CalendarList) => void;
  readOnly?: boolean;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(list?.name ?? '');
  const [sources, setSources] = useState<CalendarSource[]>(list?.settings.sources ?? []);
  const [monthsBack, setMonthsBack] = useState<number>(list?.settings.window.monthsBack ?? 6);
  const [monthsAhead, setMonthsAhead] = useState<number>(list?.settings.window.monthsAhead ?? 18);
  const [destination, setDestination] = useState<'calendar' | 'default'>(
    list?.settings.destination?.kind ?? 'calendar',
  );
  const [calendarName, setCalendarName] = useState(
    list?.settings.destination?.kind === 'calendar' ? list.settings.destination.name : '',
  );
  const [category, setCategory] = useState(
    list?.settings.destination?.kind === 'default' ? list.settings.destination.category : '',
  );
  const [showAs, setShowAs] = useState<ShowAs>(list?.settings.showAs ?? 'busy');
  const [reminder, setReminder] = useState(list?.settings.isReminderOn ?? false);

  const save = useMutation({
    mutationFn: () => {
      const settings: CalendarSettings = {
        sources,
        window: { monthsBack, monthsAhead },
        ...(destination === 'default'
          ? { destination: { kind: 'default' as const, category } }
          : calendarName.trim()
            ? { destination: { kind: 'calendar' as const, name: calendarName } }
            : {}),
        showAs,
        isReminderOn: reminder,
      };
      const body = { name, settings: settings as unknown as Record<string, unknown> };
      return list
        ? unwrap<CalendarList>(
            api.PATCH('/api/calendar-lists/{id}', { params: { path: { id: list.id } }, body }),
          )
        : unwrap<CalendarList>(api.POST('/api/calendar-lists', { body }));
    },
    onSuccess: (saved) => {
      queryClient.invalidateQueries({ queryKey: calendarListsKey });
      queryClient.setQueryData(calendarListKey(saved.id), saved);
      onSaved(saved);
    },
  });
  const error = save.error instanceof ApiError ? save.error : undefined;
  const fieldError = (field: string) => error?.fieldError(field);
  const sourceError = (i: number) => (field: string) =>
    fieldError(`settings.sources.${i}.${field}`);
  const shown = [
    'name',
    'settings.window',
    'settings.destination',
    ...sources.map((_s, i) => `settings.sources.${i}`),
  ];
  const sourcesError =
    error?.problems.find((p) => p.field === 'settings.sources')?.message ?? undefined;
  const otherError =
    save.error && !sourcesError && !shown.some((f) => fieldError(f))
      ? (error?.message ?? (save.error as Error).message)
      : undefined;
  const setSource = (i: number, next: CalendarSource) =>
    setSources((all) => all.map((s, j) => (j === i ? next : s)));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={list ? 'Edit calendar list' : 'New calendar list'}
    >
      <Stack gap="md">
        <TextInput
          label="List name"
          description="Also the name of the calendar each mailbox gets, unless you name it below"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={fieldError('name')}
          withAsterisk
          readOnly={readOnly}
        />
        <Stack gap="sm">
          <Text fw={500} size="sm">
            Sources
          </Text>
          {sources.length === 0 && (
            <Text
              size="sm"
              c={sourcesError ? 'red' : 'dimmed'}
              role={sourcesError ? 'alert' : undefined}
            >
              {sourcesError ??
                'No source yet: add public holidays, a feed, a file or your own events.'}
            </Text>
          )}
          {sources.map((s, i) => (
            <Fieldset
              key={s.id}
              legend={`Source ${i + 1}: ${KIND_LABEL[s.kind]}`}
              aria-label={`Source ${i + 1}: ${KIND_LABEL[s.kind]}`}
            >
              <Stack gap="sm">
                {s.kind === 'holidays' && (
                  <HolidayPicker
                    source={s}
                    onChange={(next) => setSource(i, next)}
                    readOnly={readOnly}
                    errorOf={sourceError(i)}
                  />
                )}
                {s.kind === 'ics-feed' && (
                  <TextInput
                    label="Feed URL"
                    description="https only; fetched on the list’s schedule (unchanged feeds cost one request)"
                    placeholder="https://example.com/calendar.ics"
                    value={s.url}
                    onChange={(e) => setSource(i, { ...s, url: e.currentTarget.value })}
                    error={sourceError(i)('url')}
                    withAsterisk
                    readOnly={readOnly}
                  />
                )}
                {s.kind === 'ics-upload' && (
                  <Text size="sm" c="dimmed">
                    {list?.settings.sources.some((o) => o.id === s.id)
                      ? 'Upload the file under “Uploaded files” below.'
                      : 'Save the list, then upload the file under “Uploaded files”.'}
                  </Text>
                )}
                {s.kind === 'manual' && (
                  <Text size="sm" c="dimmed">
                    {list?.settings.sources.some((o) => o.id === s.id)
                      ? 'Add the events under “Manual events” below.'
                      : 'Save the list, then add the events under “Manual events”.'}
                  </Text>
                )}
                {s.kind === 'mailbox-calendar' && (
                  <>
                    <MailboxSourcePicker
                      mailboxId={s.mailboxId}
                      onChange={(mailboxId) => setSource(i, { ...s, mailboxId })}
                      error={sourceError(i)('mailboxId')}
                      readOnly={readOnly}
                    />
                    <TextInput
                      label="Calendar name"
                      description="Leave empty for the mailbox’s main calendar"
                      value={s.calendarName ?? ''}
                      onChange={(e) => {
                        const { calendarName: _c, ...rest } = s;
                        const v = e.currentTarget.value;
                        setSource(i, v ? { ...rest, calendarName: v } : rest);
                      }}
                      error={sourceError(i)('calendarName')}
                      readOnly={readOnly}
                    />
                  </>
                )}
                {!readOnly && (
                  <Group>
                    <Button
                      variant="subtle"
                      color="red"
                      size="xs"
                      onClick={() => setSources((all) => all.filter((_x, j) => j !== i))}
                      aria-label={`Remove source ${i + 1}`}
                    >
                      Remove source
                    </Button>
                  </Group>
                )}
              </Stack>
            </Fieldset>
          ))}
          {!readOnly && (
            <Menu position="bottom-start">
              <Menu.Target>
                <Button variant="light" style={{ alignSelf: 'flex-start' }}>
                  Add a source
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                {(Object.keys(KIND_LABEL) as CalendarSource['kind'][]).map((k) => (
                  <Menu.Item
                    key={k}
                    onClick={() => setSources((all) => [...all, newSource(k, all)])}
                  >
                    {KIND_LABEL[k]}
                  </Menu.Item>
                ))}
              </Menu.Dropdown>
            </Menu>
          )}
        </Stack>
        <Group grow align="flex-start" wrap="wrap">
          <NumberInput
            label="Months back"
            description="Events older than this are left alone"
            min={0}
            max={24}
            value={monthsBack}
            onChange={(v) => setMonthsBack(typeof v === 'number' ? v : 0)}
            error={fieldError('settings.window.monthsBack')}
            readOnly={readOnly}
            style={{ minWidth: 140 }}
          />
          <NumberInput
            label="Months ahead"
            description="The window slides with time"
            min={1}
            max={36}
            value={monthsAhead}
            onChange={(v) => setMonthsAhead(typeof v === 'number' ? v : 1)}
            error={fieldError('settings.window.monthsAhead')}
            readOnly={readOnly}
            style={{ minWidth: 140 }}
          />
        </Group>
        <Radio.Group
          label="Where the events go in each mailbox"
          value={destination}
          onChange={(v) => setDestination(v as 'calendar' | 'default')}
          error={fieldError('settings.destination')}
        >
          <Stack gap="xs" mt={4}>
            <Radio
              value="calendar"
              label="A calendar of its own (people can hide it in one click)"
              disabled={readOnly}
            />
            <Radio value="default" label="The main calendar, with a category" disabled={readOnly} />
          </Stack>
        </Radio.Group>
        {destination === 'calendar' ? (
          <TextInput
            label="Calendar name"
            description="Leave empty to use the list’s name"
            value={calendarName}
            onChange={(e) => setCalendarName(e.currentTarget.value)}
            error={fieldError('settings.destination.name')}
            readOnly={readOnly}
          />
        ) : (
          <TextInput
            label="Category"
            value={category}
            onChange={(e) => setCategory(e.currentTarget.value)}
            error={fieldError('settings.destination.category')}
            withAsterisk
            readOnly={readOnly}
          />
        )}
        <Select
          label="Show as"
          description="Holidays are always shown as free"
          data={SHOW_AS}
          value={showAs}
          onChange={(v) => v && setShowAs(v as ShowAs)}
          allowDeselect={false}
          error={fieldError('settings.showAs')}
          readOnly={readOnly}
        />
        <Switch
          label="Reminders on"
          checked={reminder}
          onChange={(e) => setReminder(e.currentTarget.checked)}
          disabled={readOnly}
        />
        {otherError && (
          <Alert color="red" role="alert" title="Not saved">
            {otherError}
          </Alert>
        )}
        {!readOnly && (
          <Group>
            <Button type="submit" loading={save.isPending}>
              {list ? 'Save calendar list' : 'Create calendar list'}
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}
