import {
  Alert,
  Button,
  FileInput,
  Group,
  Progress,
  Radio,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import type { CsvImportJob } from '../api/views-admin';
import { entriesKey } from './entries-queries';

const ENDED = new Set(['succeeded', 'failed']);

/**
 * CSV upload as the API's asynchronous import job: the file is queued (202), the worker checks
 * every row and applies it all or nothing; the job's status (polled) names each refused cell.
 */
export function CsvUpload({ listId }: { listId: string }) {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<'replace' | 'merge'>('replace');
  const [jobId, setJobId] = useState<string | null>(null);
  const upload = useMutation({
    mutationFn: async () => {
      const text = await file!.text();
      return unwrap<{ jobId: string; status: string }>(
        api.POST('/api/lists/{id}/entries/csv', {
          params: { path: { id: listId }, query: { mode } },
          body: text,
          bodySerializer: (body: string) => body,
          headers: { 'Content-Type': 'text/csv' },
        }),
      );
    },
    onSuccess: (started) => setJobId(started.jobId),
  });
  const job = useQuery({
    queryKey: ['lists', listId, 'csv', jobId],
    enabled: !!jobId,
    queryFn: () =>
      unwrap<CsvImportJob>(
        api.GET('/api/lists/{id}/entries/csv/{jobId}', {
          params: { path: { id: listId, jobId: jobId! } },
        }),
      ),
    refetchInterval: (q) => (q.state.data && ENDED.has(q.state.data.status) ? false : 500),
  });
  const j = job.data;
  const done = !!j && ENDED.has(j.status);
  // The entries changed once the job succeeded: the table below reloads them.
  useEffect(() => {
    if (j?.status === 'succeeded')
      void queryClient.invalidateQueries({ queryKey: entriesKey(listId) });
  }, [j?.status, listId, queryClient]);
  const uploadError = upload.error instanceof ApiError ? upload.error : undefined;
  const busy = upload.isPending || (!!jobId && !done);

  return (
    <Stack gap="sm">
      <FileInput
        label="CSV file"
        description="A header row of contact fields (displayName, emailAddresses, businessPhones, mobilePhone, companyName, …), an optional key column"
        accept=".csv,text/csv"
        value={file}
        onChange={(f) => {
          setFile(f);
          setJobId(null);
          upload.reset();
        }}
        error={uploadError?.fieldError('(body)')}
        clearable
        clearButtonProps={{ 'aria-label': 'Clear the chosen file' }}
      />
      <Radio.Group
        label="The file’s rows"
        value={mode}
        onChange={(v) => setMode(v === 'merge' ? 'merge' : 'replace')}
      >
        <Group gap="md" mt={4}>
          <Radio value="replace" label="Replace all entries" />
          <Radio value="merge" label="Add to the entries (same key: updated)" />
        </Group>
      </Radio.Group>
      <Group>
        <Button onClick={() => upload.mutate()} disabled={!file || busy} loading={busy}>
          Upload CSV
        </Button>
      </Group>
      {upload.isError && !uploadError?.fieldError('(body)') && (
        <Alert color="red" role="alert" title="Not uploaded">
          {(upload.error as Error).message}
        </Alert>
      )}
      {j && !done && (
        <Stack gap={4} role="status" aria-live="polite">
          <Text size="sm">
            {j.phase === 'writing' && j.total
              ? `Writing entries: ${j.processed} of ${j.total}`
              : j.status === 'queued'
                ? 'Import queued…'
                : `Checking rows… ${j.processed ? `${j.processed} read` : ''}`}
          </Text>
          <Progress
            value={j.total ? (100 * j.processed) / j.total : 10}
            animated
            aria-label="Import progress"
          />
        </Stack>
      )}
      {j?.status === 'succeeded' && j.result && (
        <Alert color="green" role="status" title="Imported">
          {j.result.imported} entries imported
          {j.result.mode === 'merge'
            ? `, ${j.result.kept} kept`
            : j.result.replaced
              ? `, replacing ${j.result.replaced}`
              : ''}
          . The next run brings them to the mailboxes.
        </Alert>
      )}
      {j?.status === 'failed' && (
        <Alert color="red" role="alert" title="CSV refused: nothing was imported">
          <Stack gap="xs">
            <Text size="sm">
              {j.problemCount > 0
                ? `${j.problemCount} problem${j.problemCount === 1 ? '' : 's'} in the file; the list’s entries are unchanged. Fix these rows and upload again.`
                : (j.message ?? 'The import failed; the list’s entries are unchanged.')}
            </Text>
            {j.problems.length > 0 && (
              <Table.ScrollContainer minWidth={0}>
                <Table aria-label="Refused rows" withRowBorders>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Line</Table.Th>
                      <Table.Th>Column</Table.Th>
                      <Table.Th>Problem</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {j.problems.map((p, i) => (
                      <Table.Tr key={`${p.row}-${p.field}-${i}`}>
                        <Table.Td>{p.row}</Table.Td>
                        <Table.Td style={{ wordBreak: 'break-word' }}>{p.field}</Table.Td>
                        <Table.Td style={{ wordBreak: 'break-word' }}>{p.message}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
            {j.problemCount > j.problems.length && (
              <Text size="sm">
                The first {j.problems.length} of {j.problemCount} problems are shown.
              </Text>
            )}
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}
