export * from './webchat.module';
