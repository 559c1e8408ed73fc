import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '@pasokh/common';
import type { Response } from 'express';
import { AgentLoadRepository } from './agent-load.repository';
import { AgentLoadDto } from './dto/agent-load.dto';
import { ResponseTimeReportDto, ResponseTimesQuery } from './dto/response-times.dto';
import { ResponseTimesService } from './response-times.service';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/reports')
export class ReportsController {
  constructor(
    private readonly responseTimes: ResponseTimesService,
    private readonly agentLoad: AgentLoadRepository,
  ) {}

  /** The SLA board's agent-load panel: one query, not a ticket page per agent. */
  @Get('agent-load')
  @Roles('supervisor', 'admin')
  async load(): Promise<AgentLoadDto> {
    return { rows: await this.agentLoad.load() };
  }

  /** `format=csv` (or `Accept: text/csv`) answers a CSV file instead of JSON. */
  @Get('response-times')
  @Roles('supervisor', 'admin')
  async report(@Query() query: ResponseTimesQuery, @Res({ passthrough: true }) res: Response): Promise<ResponseTimeReportDto | string> {
    const report = await this.responseTimes.report(query);
    if (query.format !== 'csv' && !/text\/csv/.test(res.req.headers.accept ?? '')) return report;
    res.type('text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="response-times-${report.groupBy}.csv"`);
    return this.responseTimes.toCsv(report);
  }
}
