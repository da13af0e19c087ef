import { Alert, Anchor, Button, Center, Paper, Stack, Text, Title } from '@mantine/core';

const SIGN_IN_ERRORS: Record<string, string> = {
  sign_in_failed: 'Microsoft sign-in did not complete (cancelled, or it could not be verified).',
  invalid_state:
    'The sign-in took too long or was started in another browser window: sign in again.',
  tenant_not_allowed: 'This deployment does not serve your organization.',
};

/**
 * Sign-in with Microsoft: a full-page navigation to the API, which redirects to Microsoft (in
 * the demo, the simulated tenant's page with its admin prefilled) and back with a session.
 */
export function SignIn() {
  const error = new URLSearchParams(window.location.search).get('sign_in_error');
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" radius="md" maw={440} w="100%">
        <Stack gap="md">
          <Title order={1} size="h2">
            Contact Sync
          </Title>
          <Text>
            Share contact lists with every mailbox of your organization. Sign in with your Microsoft
            365 work account to continue.
          </Text>
          {error && (
            <Alert color="red" role="alert" title="You are not signed in">
              {SIGN_IN_ERRORS[error] ?? `Sign-in failed (${error}).`}
            </Alert>
          )}
          <Button component="a" href="/api/auth/login" size="md">
            Sign in with Microsoft
          </Button>
          <Text size="sm" c="dimmed">
            First time? An administrator of your organization signs in and grants consent once;{' '}
            <Anchor
              underline="always"
              href="https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent"
            >
              what admin consent is
            </Anchor>
            .
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}
