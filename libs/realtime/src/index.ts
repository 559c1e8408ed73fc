export * from './realtime.module';
export * from './client-events';
