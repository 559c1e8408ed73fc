export * from './twilio-sms.adapter';
export * from './twilio-sms.config';
export * from './twilio-sms.module';
