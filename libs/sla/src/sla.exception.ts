import { HttpStatus } from '@nestjs/common';
import { DomainException } from '@pasokh/common';

export enum SlaErrorCode {
  INVALID_CALENDAR = 'INVALID_CALENDAR',
  CALENDAR_NOT_FOUND = 'CALENDAR_NOT_FOUND',
  CALENDAR_NAME_TAKEN = 'CALENDAR_NAME_TAKEN',
  INVALID_POLICY = 'INVALID_POLICY',
  POLICY_NOT_FOUND = 'POLICY_NOT_FOUND',
}

const STATUS: Record<SlaErrorCode, HttpStatus> = {
  INVALID_CALENDAR: HttpStatus.BAD_REQUEST,
  CALENDAR_NOT_FOUND: HttpStatus.NOT_FOUND,
  CALENDAR_NAME_TAKEN: HttpStatus.CONFLICT,
  INVALID_POLICY: HttpStatus.BAD_REQUEST,
  POLICY_NOT_FOUND: HttpStatus.NOT_FOUND,
};

export class SlaException extends DomainException<SlaErrorCode> {
  constructor(code: SlaErrorCode, message: string) {
    super(code, message, STATUS[code]);
  }
}
