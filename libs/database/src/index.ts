export * from './data-dir-lock';
export * from './database';
export * from './database.module';
export * from './migrator';
export * from './transaction.service';
export * from './prepared';
