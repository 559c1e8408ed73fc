import { HttpStatus } from '@nestjs/common';
import { DomainException } from '@pasokh/common';

export enum AgentsErrorCode {
  AGENT_NOT_FOUND = 'AGENT_NOT_FOUND',
  AGENT_EMAIL_TAKEN = 'AGENT_EMAIL_TAKEN',
  TEAM_NOT_FOUND = 'TEAM_NOT_FOUND',
  TEAM_NAME_TAKEN = 'TEAM_NAME_TAKEN',
  LAST_ADMIN = 'LAST_ADMIN',
}

const STATUS: Record<AgentsErrorCode, HttpStatus> = {
  AGENT_NOT_FOUND: HttpStatus.NOT_FOUND,
  AGENT_EMAIL_TAKEN: HttpStatus.CONFLICT,
  TEAM_NOT_FOUND: HttpStatus.NOT_FOUND,
  TEAM_NAME_TAKEN: HttpStatus.CONFLICT,
  LAST_ADMIN: HttpStatus.CONFLICT,
};

export class AgentsException extends DomainException<AgentsErrorCode> {
  constructor(code: AgentsErrorCode, message: string) {
    super(code, message, STATUS[code]);
  }
}
