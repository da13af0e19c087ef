import {
  Alert,
  Badge,
  Button,
  Group,
  NumberInput,
  Paper,
  PasswordInput,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, unwrap } from '../api/client';
import { ApiError } from '../api/api-error';
import { useCanEdit } from '../app/can-edit';
import { ErrorState, Loading } from '../components/States';

/** GET /api/alerts (libs/admin AlertSettingsView). */
interface AlertSettings {
  emails: string[];
  webhookUrl: string | null;
  webhookSecretSet: boolean;
  quietMinutes: number;
  updatedAt: string | null;
  lastWebhookDelivery: {
    deliveryId: string;
    kind: string;
    at: string;
    outcome: 'sent' | 'failed';
    code?: string;
    httpStatus?: number;
  } | null;
}

/** POST /api/alerts/test (libs/admin AlertTestResult). */
interface TestResult {
  deliveryId: string;
  email: { outcome: 'sent' | 'failed' | 'none'; recipients: number; configured: boolean };
  webhook: { outcome: 'sent' | 'failed' | 'none'; code?: string; httpStatus?: number };
}

const KEY = ['alerts'] as const;

function emailLine(r: TestResult['email']): string {
  if (r.outcome === 'sent') return `E-mail: sent to ${r.recipients} recipient(s).`;
  if (r.outcome === 'failed') return 'E-mail: the mail server refused it (see the worker log).';
  if (!r.configured) return 'E-mail: not sent, this deployment has no mail server (SMTP_URL).';
  return 'E-mail: not sent, no recipient saved.';
}

function webhookLine(r: TestResult['webhook']): string {
  if (r.outcome === 'sent') return `Webhook: delivered (HTTP ${r.httpStatus}).`;
  if (r.outcome === 'failed')
    return `Webhook: failed, ${r.code}${r.httpStatus ? ` (HTTP ${r.httpStatus})` : ''}.`;
  return 'Webhook: not sent, no webhook saved.';
}

/** Alerts when a run fails or consent is lost: e-mail recipients, a signed webhook, a test. */
export function AlertsScreen() {
  const queryClient = useQueryClient();
  const canEdit = useCanEdit();
  const settings = useQuery({
    queryKey: KEY,
    queryFn: () => unwrap<AlertSettings>(api.GET('/api/alerts')),
  });
  const [emails, setEmails] = useState<string[]>([]);
  const [webhookUrl, setWebhookUrl] = useState('');
  const [webhookSecret, setWebhookSecret] = useState('');
  const [quietMinutes, setQuietMinutes] = useState<number | string>(60);
  useEffect(() => {
    if (!settings.data) return;
    setEmails(settings.data.emails);
    setWebhookUrl(settings.data.webhookUrl ?? '');
    setQuietMinutes(settings.data.quietMinutes);
  }, [settings.data]);

  const save = useMutation({
    mutationFn: () =>
      unwrap<AlertSettings>(
        api.PUT('/api/alerts', {
          body: {
            emails,
            webhookUrl: webhookUrl.trim() || null,
            ...(webhookSecret ? { webhookSecret } : {}),
            quietMinutes: typeof quietMinutes === 'number' ? quietMinutes : Number(quietMinutes),
          } as never,
        }),
      ),
    onSuccess: (data) => {
      queryClient.setQueryData(KEY, data);
      setWebhookSecret('');
    },
  });
  const test = useMutation({
    mutationFn: () => unwrap<TestResult>(api.POST('/api/alerts/test')),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['audit'] }),
  });

  if (settings.isPending) return <Loading what="the alert settings" />;
  if (settings.isError)
    return <ErrorState error={settings.error} onRetry={() => settings.refetch()} />;
  const s = settings.data;
  const problem = (field: string) =>
    save.error instanceof ApiError ? save.error.fieldError(field) : undefined;
  const last = s.lastWebhookDelivery;

  return (
    <Stack gap="md" maw={720}>
      <Title order={2}>Alerts</Title>
      <Text c="dimmed">
        An alert goes out when a sync run fails or partly fails, or when the app’s consent is lost.
        A list that alerted stays quiet for the quiet period.
      </Text>
      <Paper withBorder p="md" radius="md">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <Stack gap="sm">
            <TagsInput
              label="E-mail recipients"
              description="Press Enter after each address; up to 20."
              value={emails}
              onChange={setEmails}
              error={problem('emails')}
              disabled={!canEdit}
              clearable
            />
            <TextInput
              label="Webhook URL"
              description="https:// only; each call is signed (X-Contact-Sync-Signature: HMAC-SHA256 of the body)."
              placeholder="https://hooks.example.com/contact-sync"
              value={webhookUrl}
              onChange={(e) => setWebhookUrl(e.currentTarget.value)}
              error={problem('webhookUrl')}
              disabled={!canEdit}
            />
            <PasswordInput
              label="Webhook secret"
              description={
                s.webhookSecretSet
                  ? 'A secret is saved and never shown; type a new one to replace it.'
                  : '16 to 256 characters; the receiver checks signatures with it.'
              }
              value={webhookSecret}
              onChange={(e) => setWebhookSecret(e.currentTarget.value)}
              error={problem('webhookSecret')}
              disabled={!canEdit}
              autoComplete="new-password"
            />
            <NumberInput
              label="Quiet period (minutes)"
              min={1}
              max={1440}
              value={quietMinutes}
              onChange={setQuietMinutes}
              error={problem('quietMinutes')}
              disabled={!canEdit}
            />
            {save.isError && !(save.error instanceof ApiError && save.error.problems.length) && (
              <ErrorState error={save.error} />
            )}
            {canEdit && (
              <Group>
                <Button type="submit" loading={save.isPending}>
                  Save alerts
                </Button>
                {save.isSuccess && (
                  <Text size="sm" role="status">
                    Saved.
                  </Text>
                )}
              </Group>
            )}
          </Stack>
        </form>
      </Paper>

      <Paper withBorder p="md" radius="md">
        <Stack gap="sm">
          <Title order={3} size="h4">
            Test delivery
          </Title>
          <Text size="sm" c="dimmed">
            Sends a test alert now to the saved recipients and webhook, so you know they work before
            a real failure. Save your changes first.
          </Text>
          {canEdit && (
            <Group>
              <Button
                variant="light"
                onClick={() => test.mutate()}
                loading={test.isPending}
                disabled={!s.emails.length && !s.webhookUrl}
              >
                Send a test alert
              </Button>
            </Group>
          )}
          {test.data && (
            <Alert
              role="status"
              color={
                test.data.email.outcome === 'failed' || test.data.webhook.outcome === 'failed'
                  ? 'red'
                  : 'green'
              }
              title="Test alert sent"
            >
              <Text size="sm">{emailLine(test.data.email)}</Text>
              <Text size="sm">{webhookLine(test.data.webhook)}</Text>
            </Alert>
          )}
          {test.isError && <ErrorState error={test.error} />}
          {last && (
            <Group gap="xs">
              <Text size="sm">Last webhook call:</Text>
              <Badge color={last.outcome === 'sent' ? 'green' : 'red'} variant="light">
                {last.outcome === 'sent' ? 'Delivered' : 'Failed'}
              </Badge>
              <Text size="sm" c="dimmed">
                {new Date(last.at).toLocaleString()}
                {last.code ? ` · ${last.code}` : ''}
                {last.httpStatus ? ` · HTTP ${last.httpStatus}` : ''}
              </Text>
            </Group>
          )}
        </Stack>
      </Paper>
    </Stack>
  );
}
