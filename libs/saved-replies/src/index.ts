export * from './saved-replies.module';
