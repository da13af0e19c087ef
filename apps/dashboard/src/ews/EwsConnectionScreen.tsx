import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Paper,
  PasswordInput,
  Radio,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import type { EwsSettings, EwsTestResult } from '../api/views-calendar';
import { useCanEdit } from '../app/can-edit';
import { useSession } from '../app/session';
import { ErrorState, Loading } from '../components/States';

const EWS_KEY = ['ews'] as const;

function EwsForm({ current, readOnly }: { current: EwsSettings; readOnly: boolean }) {
  const queryClient = useQueryClient();
  const [serverUrl, setServerUrl] = useState(current.serverUrl ?? '');
  const [username, setUsername] = useState(current.username ?? '');
  const [password, setPassword] = useState('');
  const [authMode, setAuthMode] = useState<'ntlm' | 'basic'>(current.authMode ?? 'ntlm');
  const [impersonation, setImpersonation] = useState(current.impersonationAddress ?? '');
  const [addressListId, setAddressListId] = useState(current.addressListId ?? '');
  // An organisation without Microsoft 365 reads its directory through this connection (ADR 0047).
  const ewsOnly = !useSession().data?.azureTenantId;
  const [ca, setCa] = useState('');
  const [removeCa, setRemoveCa] = useState(false);
  const save = useMutation({
    mutationFn: () =>
      unwrap<EwsSettings>(
        api.PUT('/api/ews', {
          body: {
            serverUrl,
            username,
            // Write-only: empty keeps the stored password.
            ...(password ? { password } : {}),
            authMode,
            // Both always sent, from fields showing the stored values: an emptied field clears
            // it (the API keeps an omitted one). An EWS-only organisation's directory needs both:
            // clearing one there is refused with a problem on that field.
            impersonationAddress: impersonation.trim() || null,
            addressListId: addressListId.trim() || null,
            // Empty keeps the stored CA; "remove" sends null.
            ...(ca.trim() ? { caCertificate: ca.trim() } : removeCa ? { caCertificate: null } : {}),
          },
        }),
      ),
    onSuccess: (saved) => {
      setPassword('');
      setCa('');
      setRemoveCa(false);
      queryClient.setQueryData(EWS_KEY, saved);
    },
  });
  const error = save.error instanceof ApiError ? save.error : undefined;
  const fields = [
    'serverUrl',
    'username',
    'password',
    'authMode',
    'impersonationAddress',
    'addressListId',
    'caCertificate',
  ];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate aria-label="EWS connection">
      <Stack gap="md">
        <TextInput
          label="EWS server URL"
          description="Usually https://mail.example.com/EWS/Exchange.asmx"
          value={serverUrl}
          onChange={(e) => setServerUrl(e.currentTarget.value)}
          error={error?.fieldError('serverUrl')}
          withAsterisk
          readOnly={readOnly}
        />
        <TextInput
          label="Service account"
          description="DOMAIN\user or user@domain"
          value={username}
          onChange={(e) => setUsername(e.currentTarget.value)}
          error={error?.fieldError('username')}
          withAsterisk
          readOnly={readOnly}
        />
        {!readOnly && (
          <PasswordInput
            label="Password"
            description={
              current.passwordSet
                ? 'A password is set. It is never shown; type a new one only to replace it.'
                : 'Stored encrypted; never shown again.'
            }
            placeholder={current.passwordSet ? 'Leave empty to keep the stored password' : ''}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={error?.fieldError('password')}
            withAsterisk={!current.passwordSet}
            autoComplete="new-password"
            visibilityToggleButtonProps={{ 'aria-label': 'Show or hide the password' }}
          />
        )}
        <Radio.Group
          label="Sign-in"
          value={authMode}
          onChange={(v) => setAuthMode(v === 'basic' ? 'basic' : 'ntlm')}
          error={error?.fieldError('authMode')}
        >
          <Stack gap="xs" mt={4}>
            <Radio
              value="ntlm"
              label="NTLM (the default: on-premises EWS offers it)"
              disabled={readOnly}
            />
            <Radio
              value="basic"
              label="Basic (only where the server allows it)"
              disabled={readOnly}
            />
          </Stack>
        </Radio.Group>
        <TextInput
          label="Mailbox to impersonate in a test"
          description={
            ewsOnly
              ? 'Also the mailbox the directory is read as; the service account needs the ApplicationImpersonation role'
              : 'The service account needs the ApplicationImpersonation role; leave empty for none'
          }
          value={impersonation}
          onChange={(e) => setImpersonation(e.currentTarget.value)}
          error={error?.fieldError('impersonationAddress')}
          withAsterisk={ewsOnly}
          readOnly={readOnly}
        />
        <TextInput
          label="Global Address List id"
          description={
            ewsOnly
              ? 'Your directory: the GUID from Get-GlobalAddressList | Format-List Name,Guid, read as the mailbox above'
              : 'Only for an organisation without Microsoft 365; leave empty (your directory is Entra ID)'
          }
          value={addressListId}
          onChange={(e) => setAddressListId(e.currentTarget.value)}
          error={error?.fieldError('addressListId')}
          withAsterisk={ewsOnly}
          readOnly={readOnly}
        />
        {!readOnly && (
          <Textarea
            label="CA certificate (PEM)"
            description={
              current.caCertificateSet
                ? 'A CA certificate is set. Paste another to replace it; leave empty to keep it.'
                : 'Only if the server’s certificate comes from your own CA'
            }
            placeholder="-----BEGIN CERTIFICATE-----"
            value={ca}
            onChange={(e) => setCa(e.currentTarget.value)}
            error={error?.fieldError('caCertificate')}
            autosize
            minRows={2}
            maxRows={8}
            styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
          />
        )}
        {!readOnly && current.caCertificateSet && !ca.trim() && (
          <Radio.Group
            label="Stored CA certificate"
            value={removeCa ? 'remove' : 'keep'}
            onChange={(v) => setRemoveCa(v === 'remove')}
          >
            <Group gap="md" mt={4}>
              <Radio value="keep" label="Keep it" />
              <Radio value="remove" label="Remove it (trust the system’s CAs)" />
            </Group>
          </Radio.Group>
        )}
        {save.isError && !fields.some((f) => error?.fieldError(f)) && (
          <Alert color="red" role="alert" title="Not saved">
            {(save.error as Error).message}
          </Alert>
        )}
        {save.isSuccess && (
          <Text size="sm" role="status">
            Saved. Test the connection to check it.
          </Text>
        )}
        {!readOnly && (
          <Group>
            <Button type="submit" loading={save.isPending}>
              Save connection
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}

function TestConnection({ current }: { current: EwsSettings }) {
  const [mailbox, setMailbox] = useState('');
  const test = useMutation({
    mutationFn: () =>
      unwrap<EwsTestResult>(
        api.POST('/api/ews/test', { body: mailbox.trim() ? { mailbox: mailbox.trim() } : {} }),
      ),
  });
  const error = test.error instanceof ApiError ? test.error : undefined;
  const r = test.data;
  return (
    <Stack gap="sm">
      <TextInput
        label="Mailbox to open"
        description={`Leave empty for ${current.impersonationAddress ?? 'the service account’s own mailbox'}`}
        value={mailbox}
        onChange={(e) => {
          setMailbox(e.currentTarget.value);
          test.reset();
        }}
        error={error?.fieldError('mailbox')}
      />
      <Group>
        <Button onClick={() => test.mutate()} loading={test.isPending} variant="light">
          Test connection
        </Button>
      </Group>
      {test.isError && !error?.fieldError('mailbox') && <ErrorState error={test.error} />}
      {r && (
        <Alert
          color={r.ok ? 'green' : 'red'}
          title={r.ok ? 'Connection works' : 'Connection failed'}
          role={r.ok ? 'status' : 'alert'}
          data-testid="ews-test-result"
        >
          <Stack gap={4}>
            {r.code && (
              <Text size="sm">
                Code: <Code>{r.code}</Code>
              </Text>
            )}
            <Text size="sm">{r.message}</Text>
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}

/**
 * The EWS connection for Exchange Server on-premises (and the on-premises mailboxes of hybrid
 * organisations): server, service account, write-only password, NTLM or Basic, the customer's
 * own CA, the mailbox to impersonate; "Test connection" says what works or what to fix.
 */
export function EwsConnectionScreen() {
  const canEdit = useCanEdit();
  const queryClient = useQueryClient();
  const settings = useQuery({
    queryKey: EWS_KEY,
    queryFn: () => unwrap<EwsSettings>(api.GET('/api/ews')),
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/ews')),
    onSuccess: () => queryClient.setQueryData(EWS_KEY, { configured: false, passwordSet: false }),
  });
  if (settings.isPending) return <Loading what="the EWS connection" />;
  if (settings.isError)
    return <ErrorState error={settings.error} onRetry={() => settings.refetch()} />;
  const s = settings.data;
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>Exchange on-premises (EWS)</Title>
        <Group gap="xs">
          <Badge color={s.configured ? 'green' : 'gray'} variant="light">
            {s.configured ? 'Configured' : 'Not configured'}
          </Badge>
          {s.configured && (
            <Badge color={s.passwordSet ? 'green' : 'orange'} variant="light">
              {s.passwordSet ? 'Password set' : 'No password'}
            </Badge>
          )}
        </Group>
      </Group>
      <Text c="dimmed" size="sm">
        Mailboxes on your own Exchange Server (or on-premises mailboxes of a hybrid organization)
        are reached through Exchange Web Services with a service account. Cloud mailboxes use
        Microsoft Graph and need nothing here.
        {canEdit ? '' : ' An administrator (Sync.Admin) sets this up.'}
      </Text>
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="ews-conn">
        <Title order={3} id="ews-conn" mb="sm">
          Connection
        </Title>
        <EwsForm
          key={s.updatedAt ?? (s.configured ? 'configured' : 'none')}
          current={s}
          readOnly={!canEdit}
        />
      </Paper>
      {s.configured && canEdit && (
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="ews-test">
          <Title order={3} id="ews-test" mb="sm">
            Test the connection
          </Title>
          <TestConnection current={s} />
        </Paper>
      )}
      {s.configured && canEdit && (
        <Group>
          <Button
            color="red"
            variant="subtle"
            loading={remove.isPending}
            onClick={() => remove.mutate()}
          >
            Remove the connection
          </Button>
          {remove.isError && <ErrorState error={remove.error} />}
        </Group>
      )}
    </Stack>
  );
}
