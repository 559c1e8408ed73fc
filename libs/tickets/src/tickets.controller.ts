import { Body, Controller, Get, Param, Patch, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Page, ParseId, Principal } from '@pasokh/common';
import { ListTicketsQuery, SlaBoardDto, SlaBoardQuery, TicketDto, TicketReadDto, UpdateTicketDto } from './dto/ticket.dto';
import { TicketsService } from './tickets.service';

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('api')
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  @Get('tickets')
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListTicketsQuery): Promise<Page<TicketDto>> {
    return this.tickets.list(principal, query);
  }

  @Get('tickets/:id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseId) id: string): Promise<TicketDto> {
    return this.tickets.get(principal, id);
  }

  @Patch('tickets/:id')
  update(@CurrentPrincipal() principal: Principal, @Param('id', ParseId) id: string, @Body() body: UpdateTicketDto): Promise<TicketDto> {
    return this.tickets.update(principal, id, body);
  }

  /** Marks the ticket read now for the calling agent (its `readAt` in this agent's lists). */
  @Put('tickets/:id/read')
  markRead(@CurrentPrincipal() principal: Principal, @Param('id', ParseId) id: string): Promise<TicketReadDto> {
    return this.tickets.markRead(principal, id);
  }

  @Get('sla/board')
  slaBoard(@CurrentPrincipal() principal: Principal, @Query() query: SlaBoardQuery): Promise<SlaBoardDto> {
    return this.tickets.slaBoard(principal, query);
  }

  /** A customer's tickets on every channel (the customer sidebar's history). */
  @Get('customers/:id/tickets')
  forCustomer(@CurrentPrincipal() principal: Principal, @Param('id', ParseId) id: string, @Query() query: ListTicketsQuery): Promise<Page<TicketDto>> {
    return this.tickets.list(principal, { ...query, customerId: id });
  }
}
