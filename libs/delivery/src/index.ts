export * from './delivery.module';
export * from './delivery.worker';
export * from './delivery-status.service';
