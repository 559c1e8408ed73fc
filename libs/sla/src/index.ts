export * from './business-calendar.entity';
export * from './business-time';
export * from './calendar';
export * from './ics';
export * from './policy-match';
export * from './sla-policy.entity';
export * from './sla.module';
