import { DynamicModule, Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Database } from './database';
import { TransactionService } from './transaction.service';

@Global()
@Module({})
export class DatabaseModule {
  /** The database is opened (and migrated) before Nest boots, so a bad database stops start-up early. */
  static forRoot(database: Database): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [{ provide: Database, useValue: database }, { provide: DataSource, useValue: database.dataSource }, TransactionService],
      exports: [Database, DataSource, TransactionService],
    };
  }
}
