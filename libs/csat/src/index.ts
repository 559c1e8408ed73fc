export * from './csat.module';
export * from './csat.service';
