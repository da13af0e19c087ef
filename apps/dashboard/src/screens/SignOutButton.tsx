import { Button } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { ME_KEY } from '../app/session';

export function SignOutButton() {
  const queryClient = useQueryClient();
  const signOut = useMutation({
    mutationFn: () => unwrap(api.POST('/api/auth/logout')),
    onSettled: () => {
      queryClient.clear();
      queryClient.setQueryData(ME_KEY, null);
    },
  });
  return (
    <Button
      variant="default"
      size="xs"
      onClick={() => signOut.mutate()}
      loading={signOut.isPending}
    >
      Sign out
    </Button>
  );
}
