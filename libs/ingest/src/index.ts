export * from './ingest-batcher';
export * from './ingest.module';
export * from './ingest.repository';
export * from './ingest.service';
