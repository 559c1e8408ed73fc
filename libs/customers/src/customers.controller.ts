import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Page, ParseId, Principal } from '@pasokh/common';
import { CustomersService } from './customers.service';
import { CustomerDto, ListCustomersQuery, MergeCustomerDto, UpdateCustomerDto } from './dto/customer.dto';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('api/customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Get()
  list(@Query() query: ListCustomersQuery): Promise<Page<CustomerDto>> {
    return this.customers.list(query);
  }

  @Get(':id')
  get(@Param('id', ParseId) id: string): Promise<CustomerDto> {
    return this.customers.get(id);
  }

  @Patch(':id')
  update(@CurrentPrincipal() principal: Principal, @Param('id', ParseId) id: string, @Body() body: UpdateCustomerDto): Promise<CustomerDto> {
    return this.customers.update({ type: 'agent', id: principal.agentId }, id, body);
  }

  @Post(':id/merge')
  @HttpCode(200)
  merge(@CurrentPrincipal() principal: Principal, @Param('id', ParseId) id: string, @Body() body: MergeCustomerDto): Promise<CustomerDto> {
    return this.customers.merge({ type: 'agent', id: principal.agentId }, id, body.sourceCustomerId);
  }
}
