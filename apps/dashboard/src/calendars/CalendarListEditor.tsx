import { Anchor, Button, Grid, Group, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { useCanEdit } from '../app/can-edit';
import { ErrorState, Loading } from '../components/States';
import { PreviewPanel } from '../lists/PreviewPanel';
import { ScheduleEditor } from '../lists/ScheduleEditor';
import { TargetsEditor } from '../lists/TargetsEditor';
import { SyncNowButton } from '../runs/SyncNowButton';
import { calendarListsKey, useCalendarList } from './calendar-queries';
import { CalendarListForm } from './CalendarListForm';
import { IcsUpload } from './IcsUpload';
import { ManualEvents } from './ManualEvents';

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={id}>
      <Title order={3} id={id} mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

/**
 * A calendar list: its sources, window and destination, uploaded files, manual events,
 * targets and schedule on one side; the preview of the next run, sync now and delete (with the
 * clean-up of every mailbox) on the other.
 */
export function CalendarListEditor() {
  const { id } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const list = useCalendarList(id);
  const canEdit = useCanEdit();
  const [confirm, setConfirm] = useState(false);
  const remove = useMutation({
    mutationFn: () =>
      unwrap(api.DELETE('/api/calendar-lists/{id}', { params: { path: { id: id! } } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: calendarListsKey });
      navigate(`/calendars?cleanup=${id}`);
    },
  });
  if (id && list.isPending) return <Loading what="the calendar list" />;
  if (id && list.isError) return <ErrorState error={list.error} onRetry={() => list.refetch()} />;
  const l = list.data;
  const uploads = l?.settings.sources.filter((s) => s.kind === 'ics-upload') ?? [];
  const manuals = l?.settings.sources.filter((s) => s.kind === 'manual') ?? [];
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/calendars" size="sm">
        ← All calendar lists
      </Anchor>
      <Title order={2}>{l ? l.name : 'New calendar list'}</Title>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            <Section id="cal-src-title" title="Events">
              <CalendarListForm
                key={l ? `${l.id}-${l.updatedAt}` : 'new'}
                list={l}
                readOnly={!canEdit}
                onSaved={(saved) => {
                  if (!id) navigate(`/calendars/${saved.id}`, { replace: true });
                }}
              />
            </Section>
            {l && uploads.length > 0 && (
              <Section id="cal-up-title" title="Uploaded files">
                {canEdit ? (
                  <Stack gap="lg">
                    {uploads.map((s) => (
                      <IcsUpload key={s.id} listId={l.id} sourceId={s.id} />
                    ))}
                  </Stack>
                ) : (
                  <Text size="sm" c="dimmed">
                    An administrator (Sync.Admin) uploads the files.
                  </Text>
                )}
              </Section>
            )}
            {l && manuals.length > 0 && (
              <Section id="cal-ev-title" title="Manual events">
                <Stack gap="lg">
                  {manuals.map((s) => (
                    <ManualEvents key={s.id} listId={l.id} sourceId={s.id} readOnly={!canEdit} />
                  ))}
                </Stack>
              </Section>
            )}
            {l && (
              <Section id="cal-tg-title" title="Mailboxes that receive the list">
                <TargetsEditor listId={l.id} readOnly={!canEdit} kind="calendar" />
              </Section>
            )}
            {l && (
              <Section id="cal-sch-title" title="Schedule">
                <ScheduleEditor listId={l.id} readOnly={!canEdit} kind="calendar" />
              </Section>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          {l && canEdit && (
            <Stack gap="md">
              <PreviewPanel listId={l.id} kind="calendar" />
              <SyncNowButton listId={l.id} kind="calendar" />
              <Paper withBorder p="md" radius="md" component="section" aria-labelledby="cal-del">
                <Title order={3} id="cal-del" size="h5" mb="xs">
                  Delete
                </Title>
                <Text size="sm" mb="sm">
                  Deleting the list removes its events from every mailbox it reached.
                </Text>
                <Button color="red" variant="light" onClick={() => setConfirm(true)}>
                  Delete calendar list…
                </Button>
              </Paper>
            </Stack>
          )}
          {l && !canEdit && (
            <Text c="dimmed">
              You can read this list. Previews, syncs and changes need the Sync.Admin role.
            </Text>
          )}
        </Grid.Col>
      </Grid>
      <Modal
        opened={confirm}
        onClose={() => setConfirm(false)}
        title="Delete this calendar list?"
        centered
      >
        <Stack gap="sm">
          <Text size="sm">
            {`“${l?.name ?? ''}” disappears at once, with its targets, schedule and stored events. Then every event this list wrote is deleted from every mailbox it reached; events people created themselves, even ones that look the same, are never touched.`}
          </Text>
          {remove.isError && <ErrorState error={remove.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(false)}>
              Keep the list
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
              Delete and clean up
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
