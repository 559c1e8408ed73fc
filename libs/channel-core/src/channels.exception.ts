import { HttpStatus } from '@nestjs/common';
import { DomainException } from '@pasokh/common';

export enum ChannelsErrorCode {
  CHANNEL_NOT_FOUND = 'CHANNEL_NOT_FOUND',
  CHANNEL_TYPE_UNSUPPORTED = 'CHANNEL_TYPE_UNSUPPORTED',
  CHANNEL_INACTIVE = 'CHANNEL_INACTIVE',
  INVALID_CONFIG = 'INVALID_CONFIG',
  CREDENTIALS_REJECTED = 'CREDENTIALS_REJECTED',
  INVALID_SIGNATURE = 'INVALID_SIGNATURE',
  INVALID_PAYLOAD = 'INVALID_PAYLOAD',
}

const STATUS: Record<ChannelsErrorCode, HttpStatus> = {
  CHANNEL_NOT_FOUND: HttpStatus.NOT_FOUND,
  CHANNEL_TYPE_UNSUPPORTED: HttpStatus.BAD_REQUEST,
  CHANNEL_INACTIVE: HttpStatus.CONFLICT,
  INVALID_CONFIG: HttpStatus.BAD_REQUEST,
  CREDENTIALS_REJECTED: HttpStatus.UNPROCESSABLE_ENTITY,
  INVALID_SIGNATURE: HttpStatus.UNAUTHORIZED,
  INVALID_PAYLOAD: HttpStatus.BAD_REQUEST,
};

export class ChannelsException extends DomainException<ChannelsErrorCode> {
  constructor(code: ChannelsErrorCode, message: string) {
    super(code, message, STATUS[code]);
  }
}
