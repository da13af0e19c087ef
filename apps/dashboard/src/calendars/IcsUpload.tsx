import { Alert, Button, FileInput, Group, List, Stack } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import type { CalendarUploadResult } from '../api/views-calendar';

/**
 * Replaces an `ics-upload` source's events with an iCalendar file, all or nothing: a malformed
 * file is refused with its line and reason (shown next to the file) and nothing is stored.
 */
export function IcsUpload({ listId, sourceId }: { listId: string; sourceId: string }) {
  const [file, setFile] = useState<File | null>(null);
  const upload = useMutation({
    mutationFn: async () => {
      const text = await file!.text();
      return unwrap<CalendarUploadResult>(
        api.POST('/api/calendar-lists/{id}/sources/{sourceId}/ics', {
          params: { path: { id: listId, sourceId } },
          body: text,
          bodySerializer: (body: string) => body,
          headers: { 'Content-Type': 'text/calendar' },
        }),
      );
    },
  });
  const uploadError = upload.error instanceof ApiError ? upload.error : undefined;
  const fileError = uploadError?.fieldError('(body)');
  const r = upload.data;
  return (
    <Stack gap="sm">
      <FileInput
        label={`iCalendar file (${sourceId})`}
        description="An .ics file (RFC 5545); it replaces this source’s events"
        accept=".ics,text/calendar"
        value={file}
        onChange={(f) => {
          setFile(f);
          upload.reset();
        }}
        error={fileError ? `Refused, nothing stored: ${fileError}` : undefined}
        clearable
        clearButtonProps={{ 'aria-label': 'Clear the chosen file' }}
      />
      <Group>
        <Button
          onClick={() => upload.mutate()}
          disabled={!file}
          loading={upload.isPending}
          aria-label={`Upload .ics for ${sourceId}`}
        >
          Upload .ics
        </Button>
      </Group>
      {upload.isError && !fileError && (
        <Alert color="red" role="alert" title="Not uploaded">
          {(upload.error as Error).message}
        </Alert>
      )}
      {r && (
        <Alert color="green" role="status" title="File stored">
          {`${r.events} events stored (${r.series} series, ${r.cancelled} cancelled occurrences); ${r.replaced} earlier events replaced. The next run pushes them.`}
          {r.expanded.length > 0 && (
            <List size="sm" mt="xs">
              {r.expanded.map((e) => (
                <List.Item key={e.uid}>
                  {`${e.subject}: ${e.reason}, pushed as ${e.occurrences} single events`}
                </List.Item>
              ))}
            </List>
          )}
        </Alert>
      )}
    </Stack>
  );
}
