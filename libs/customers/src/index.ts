export * from './customer-identity.entity';
export * from './customer.entity';
export * from './customers.exception';
export * from './customers.module';
export * from './customers.repository';
export { searchText } from './customers.service';
