import { Anchor, Button, Center, Paper, Stack, Text, Title } from '@mantine/core';

/**
 * Sign-in with Microsoft: a full-page navigation to the API, which redirects to Microsoft (in
 * the demo, the simulated tenant's page with its admin prefilled) and back with a session.
 */
export function SignIn() {
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
          <Button component="a" href="/api/auth/login" size="md">
            Sign in with Microsoft
          </Button>
          <Text size="sm" c="dimmed">
            First time? An administrator of your organization signs in and grants consent once;{' '}
            <Anchor href="https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent">
              what admin consent is
            </Anchor>
            .
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}
