export * from './twilio-sms.module';
