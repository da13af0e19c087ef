import { useSession } from './session';

/**
 * Whether the signed-in user may change things (the Sync.Admin role). A Viewer sees no button
 * that would only be refused; the API refuses them anyway (403).
 */
export function useCanEdit(): boolean {
  return useSession().data?.role === 'admin';
}
