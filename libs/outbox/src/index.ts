export * from './outbox-item.entity';
export * from './outbox.module';
export * from './outbox.repository';
