import { ApiProperty } from '@nestjs/swagger';

export class AgentLoadRowDto {
  @ApiProperty({ nullable: true, type: String, description: 'null: the unassigned tickets' }) assigneeId!: string | null;
  @ApiProperty({ description: 'open, pending and snoozed tickets' }) open!: number;
  @ApiProperty() breached!: number;
  @ApiProperty() atRisk!: number;
}

export class AgentLoadDto {
  @ApiProperty({ type: [AgentLoadRowDto], description: 'only assignees with open work; every ticket is counted, whatever its team' })
  rows!: AgentLoadRowDto[];
}
