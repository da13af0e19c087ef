import { Anchor, Grid, Paper, Stack, Text, Title } from '@mantine/core';
import { Link, useNavigate, useParams } from 'react-router';
import { useCanEdit } from '../app/can-edit';
import { ErrorState, Loading } from '../components/States';
import { SyncNowButton } from '../runs/SyncNowButton';
import { ListForm } from './ListForm';
import { PreviewPanel } from './PreviewPanel';
import { CsvUpload } from './CsvUpload';
import { EntriesEditor } from './EntriesEditor';
import { ListOptionsForm } from './ListOptionsForm';
import { useList } from './queries';
import { ScheduleEditor } from './ScheduleEditor';
import { TargetsEditor } from './TargetsEditor';

/** A list's sources and targets on one side, the live preview of the next run on the other. */
export function ListEditor() {
  const { id } = useParams();
  const navigate = useNavigate();
  const list = useList(id);
  const canEdit = useCanEdit();
  if (id && list.isPending) return <Loading what="the list" />;
  if (id && list.isError) return <ErrorState error={list.error} onRetry={() => list.refetch()} />;
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/lists" size="sm">
        ← All lists
      </Anchor>
      <Title order={2}>{list.data ? list.data.name : 'New contact list'}</Title>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            <Paper withBorder p="md" radius="md" component="section" aria-labelledby="src-title">
              <Title order={3} id="src-title" mb="sm">
                Contacts
              </Title>
              <ListForm
                key={list.data?.id ?? 'new'}
                list={list.data}
                readOnly={!canEdit}
                onSaved={(saved) => {
                  if (!id) navigate(`/lists/${saved.id}`, { replace: true });
                }}
              />
            </Paper>
            {list.data && (
              <Paper withBorder p="md" radius="md" component="section" aria-labelledby="tg-title">
                <Title order={3} id="tg-title" mb="sm">
                  Mailboxes that receive the list
                </Title>
                <TargetsEditor listId={list.data.id} readOnly={!canEdit} />
              </Paper>
            )}
            {list.data && (
              <Paper withBorder p="md" radius="md" component="section" aria-labelledby="opt-title">
                <Title order={3} id="opt-title" mb="sm">
                  Sources, folder and policies
                </Title>
                <ListOptionsForm key={list.data.id} list={list.data} readOnly={!canEdit} />
              </Paper>
            )}
            {list.data && (
              <Paper withBorder p="md" radius="md" component="section" aria-labelledby="ent-title">
                <Title order={3} id="ent-title" mb="sm">
                  Manual entries
                </Title>
                <Stack gap="lg">
                  {!list.data.settings.sources?.some((src) => src.kind === 'manual') && (
                    <Text size="sm" c="dimmed">
                      These entries reach the mailboxes once “Manual and CSV entries” is ticked
                      under Sources, folder and policies.
                    </Text>
                  )}
                  <EntriesEditor listId={list.data.id} readOnly={!canEdit} />
                  {canEdit && <CsvUpload listId={list.data.id} />}
                </Stack>
              </Paper>
            )}
            {list.data && (
              <Paper withBorder p="md" radius="md" component="section" aria-labelledby="sch-title">
                <Title order={3} id="sch-title" mb="sm">
                  Schedule
                </Title>
                <ScheduleEditor listId={list.data.id} readOnly={!canEdit} />
              </Paper>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          {list.data && canEdit && (
            <Stack gap="md">
              <PreviewPanel listId={list.data.id} />
              <SyncNowButton listId={list.data.id} />
            </Stack>
          )}
          {list.data && !canEdit && (
            <Text c="dimmed">
              You can read this list. Previews, syncs and changes need the Sync.Admin role.
            </Text>
          )}
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
