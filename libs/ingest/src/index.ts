export * from './ingest.module';
export * from './ingest.service';
