import { Module } from '@nestjs/common';
import { CustomerResolver } from './customer-resolver';
import { CustomersController } from './customers.controller';
import { CustomersRepository } from './customers.repository';
import { CustomersService } from './customers.service';

@Module({
  controllers: [CustomersController],
  providers: [CustomersRepository, CustomersService, CustomerResolver],
  exports: [CustomersRepository, CustomerResolver],
})
export class CustomersModule {}
