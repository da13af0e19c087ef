import { lazy, Suspense } from 'react';
import { Loading } from '../components/States';

// The activity charts (Recharts, about 100 kB gzipped) load when the screen is first opened.
const Activity = lazy(() =>
  import('../activity/ActivityScreen').then((m) => ({ default: m.ActivityScreen })),
);

export function ActivityScreen() {
  return (
    <Suspense fallback={<Loading what="the charts" />}>
      <Activity />
    </Suspense>
  );
}

export { AlertsScreen } from '../settings/AlertsScreen';
export { AuditScreen } from '../settings/AuditScreen';
export { TokensScreen } from '../settings/TokensScreen';
