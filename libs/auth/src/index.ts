export * from './api-token.entity';
export * from './auth.exception';
export * from './auth.guard';
export * from './auth.module';
export * from './auth.service';
