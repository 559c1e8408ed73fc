export * from './telegram.module';
