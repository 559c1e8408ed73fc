export * from './webhook-intake.service';
export * from './webhooks.module';
