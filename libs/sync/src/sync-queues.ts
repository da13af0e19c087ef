/** The producer moved to libs/queue (producers live with the queue definitions); kept reachable here. */
export { SyncQueues } from '@app/queue';
