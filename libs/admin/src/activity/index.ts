export * from './activity-query.schema';
export * from './activity-view';
export * from './activity.service';
