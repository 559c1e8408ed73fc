import { HttpStatus } from '@nestjs/common';
import { DomainException } from '@pasokh/common';

export enum TicketsErrorCode {
  TICKET_NOT_FOUND = 'TICKET_NOT_FOUND',
  ASSIGNEE_NOT_FOUND = 'ASSIGNEE_NOT_FOUND',
  TEAM_NOT_FOUND = 'TEAM_NOT_FOUND',
  SNOOZE_NEEDS_TIME = 'SNOOZE_NEEDS_TIME',
}

const STATUS: Record<TicketsErrorCode, HttpStatus> = {
  TICKET_NOT_FOUND: HttpStatus.NOT_FOUND,
  ASSIGNEE_NOT_FOUND: HttpStatus.BAD_REQUEST,
  TEAM_NOT_FOUND: HttpStatus.BAD_REQUEST,
  SNOOZE_NEEDS_TIME: HttpStatus.BAD_REQUEST,
};

export class TicketsException extends DomainException<TicketsErrorCode> {
  constructor(code: TicketsErrorCode, message: string) {
    super(code, message, STATUS[code]);
  }
}
