export * from './email-config';
export * from './email.adapter';
export * from './email.module';
