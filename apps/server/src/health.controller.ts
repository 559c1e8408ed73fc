import { Controller, Get, HttpException, HttpStatus } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '@pasokh/common';
import { Database } from '@pasokh/database';

@ApiTags('health')
@Controller('api/health')
export class HealthController {
  constructor(private readonly database: Database) {}

  /** 200 while the database answers; 503 with the reason when it does not (for load balancers). */
  @Public()
  @Get()
  async health(): Promise<{ status: 'ok'; database: { status: 'up'; kind: string; latencyMs: number } }> {
    const started = performance.now();
    try {
      await this.database.dataSource.query('SELECT 1');
    } catch (error) {
      throw new HttpException(
        { statusCode: 503, error: 'Service Unavailable', message: `database is down: ${(error as Error).message}`, code: 'DATABASE_DOWN' },
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    }
    return { status: 'ok', database: { status: 'up', kind: this.database.kind, latencyMs: Math.round((performance.now() - started) * 10) / 10 } };
  }
}
