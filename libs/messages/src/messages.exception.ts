import { HttpStatus } from '@nestjs/common';
import { DomainException } from '@pasokh/common';

export enum MessagesErrorCode {
  ATTACHMENT_NOT_FOUND = 'ATTACHMENT_NOT_FOUND',
  ATTACHMENT_TOO_LARGE = 'ATTACHMENT_TOO_LARGE',
  ATTACHMENT_IN_USE = 'ATTACHMENT_IN_USE',
  EMPTY_MESSAGE = 'EMPTY_MESSAGE',
  TICKET_CLOSED = 'TICKET_CLOSED',
  REPLY_NOT_ALLOWED = 'REPLY_NOT_ALLOWED',
}

const STATUS: Record<MessagesErrorCode, HttpStatus> = {
  ATTACHMENT_NOT_FOUND: HttpStatus.NOT_FOUND,
  ATTACHMENT_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
  ATTACHMENT_IN_USE: HttpStatus.CONFLICT,
  EMPTY_MESSAGE: HttpStatus.BAD_REQUEST,
  TICKET_CLOSED: HttpStatus.CONFLICT,
  REPLY_NOT_ALLOWED: HttpStatus.CONFLICT,
};

export class MessagesException extends DomainException<MessagesErrorCode> {
  constructor(code: MessagesErrorCode, message: string) {
    super(code, message, STATUS[code]);
  }
}
