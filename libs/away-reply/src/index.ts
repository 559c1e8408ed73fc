export * from './away-reply.module';
