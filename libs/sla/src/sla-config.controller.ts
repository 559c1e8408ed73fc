import { Body, Controller, Get, Param, Patch, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, ParseId, Principal, Roles } from '@pasokh/common';
import type { Request } from 'express';
import { CalendarDto, CreateCalendarDto, CreatePolicyDto, PolicyDto, UpdatePolicyDto } from './dto/sla-config.dto';
import { SlaConfigService } from './sla-config.service';
import { SlaErrorCode, SlaException } from './sla.exception';

@ApiTags('sla')
@ApiBearerAuth()
@Controller('api')
export class SlaConfigController {
  constructor(private readonly sla: SlaConfigService) {}

  @Get('calendars')
  async calendars(): Promise<{ items: CalendarDto[] }> {
    return { items: await this.sla.listCalendars() };
  }

  @Post('calendars')
  @Roles('admin', 'supervisor')
  createCalendar(@CurrentPrincipal() principal: Principal, @Body() body: CreateCalendarDto): Promise<CalendarDto> {
    return this.sla.createCalendar({ type: 'agent', id: principal.agentId }, body);
  }

  /** Body: an iCalendar file (text/calendar); its dates join the calendar's holidays. */
  @Post('calendars/:id/holidays/import')
  @Roles('admin', 'supervisor')
  @ApiConsumes('text/calendar')
  importHolidays(@CurrentPrincipal() principal: Principal, @Param('id', ParseId) id: string, @Req() req: Request & { rawBody?: Buffer }): Promise<CalendarDto> {
    if (!req.rawBody?.length) throw new SlaException(SlaErrorCode.INVALID_CALENDAR, 'send the .ics file as the request body (Content-Type: text/calendar)');
    return this.sla.importHolidays({ type: 'agent', id: principal.agentId }, id, req.rawBody.toString('utf8'));
  }

  @Get('sla/policies')
  async policies(): Promise<{ items: PolicyDto[] }> {
    return { items: await this.sla.listPolicies() };
  }

  @Post('sla/policies')
  @Roles('admin', 'supervisor')
  createPolicy(@CurrentPrincipal() principal: Principal, @Body() body: CreatePolicyDto): Promise<PolicyDto> {
    return this.sla.createPolicy({ type: 'agent', id: principal.agentId }, body);
  }

  @Patch('sla/policies/:id')
  @Roles('admin', 'supervisor')
  updatePolicy(@CurrentPrincipal() principal: Principal, @Param('id', ParseId) id: string, @Body() body: UpdatePolicyDto): Promise<PolicyDto> {
    return this.sla.updatePolicy({ type: 'agent', id: principal.agentId }, id, body);
  }
}
