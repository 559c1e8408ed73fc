import { Module } from '@nestjs/common';
import { AgentsModule } from '@pasokh/agents';
import { AssignmentRepository } from './assignment.repository';
import { AutoAssigner } from './auto-assigner';

/** Who a channel's new tickets go to: its team, and with auto assignment an online agent. */
@Module({
  imports: [AgentsModule],
  providers: [AssignmentRepository, AutoAssigner],
})
export class AssignmentModule {}
