export * from './delivery.module';
export * from './delivery.worker';
