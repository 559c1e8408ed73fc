export * from './telegram-config';
export * from './telegram.adapter';
export * from './telegram.module';
