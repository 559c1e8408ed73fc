import { HttpStatus } from '@nestjs/common';
import { DomainException } from '@pasokh/common';

export enum CustomersErrorCode {
  CUSTOMER_NOT_FOUND = 'CUSTOMER_NOT_FOUND',
  CUSTOMER_MERGED = 'CUSTOMER_MERGED',
  MERGE_INTO_SELF = 'MERGE_INTO_SELF',
  INVALID_PHONE = 'INVALID_PHONE',
  INVALID_EMAIL = 'INVALID_EMAIL',
}

const STATUS: Record<CustomersErrorCode, HttpStatus> = {
  CUSTOMER_NOT_FOUND: HttpStatus.NOT_FOUND,
  CUSTOMER_MERGED: HttpStatus.CONFLICT,
  MERGE_INTO_SELF: HttpStatus.BAD_REQUEST,
  INVALID_PHONE: HttpStatus.BAD_REQUEST,
  INVALID_EMAIL: HttpStatus.BAD_REQUEST,
};

export class CustomersException extends DomainException<CustomersErrorCode> {
  constructor(code: CustomersErrorCode, message: string) {
    super(code, message, STATUS[code]);
  }
}
