import { Navigate } from 'react-router';
import { ErrorState, Loading } from '../components/States';
import { useLists, useRuns } from '../lists/queries';

/**
 * `/`: the onboarding until its last step (a first sync) is done, so an admin who left half
 * way comes back to it; the contact lists afterwards.
 */
export function Home({ onboarded }: { onboarded: boolean }) {
  const lists = useLists();
  const runs = useRuns();
  if (!onboarded) return <Navigate to="/onboarding" replace />;
  if (lists.isPending || runs.isPending) return <Loading what="your lists" />;
  if (lists.isError) return <ErrorState error={lists.error} onRetry={() => lists.refetch()} />;
  if (runs.isError) return <ErrorState error={runs.error} onRetry={() => runs.refetch()} />;
  const started = lists.data.total > 0 && runs.data.items.some((r) => r.mode === 'sync');
  return <Navigate to={started ? '/lists' : '/onboarding'} replace />;
}
