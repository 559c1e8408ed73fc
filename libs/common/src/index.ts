export * from './domain.exception';
export * from './global-exception.filter';
export * from './normalize';
export * from './pagination';
export * from './access';
export * from './parse-id.pipe';
export * from './wakeable-loop';
export * from './customer-language';
