import { ParseUUIDPipe } from '@nestjs/common';
import { CommonErrorCode, CommonException } from './domain.exception';

/** `@Param('id', ParseId)`: a malformed id is a 400 INVALID_ID, before any query runs. */
export const ParseId = new ParseUUIDPipe({
  exceptionFactory: () => new CommonException(CommonErrorCode.INVALID_ID, 'id must be a UUID'),
});
