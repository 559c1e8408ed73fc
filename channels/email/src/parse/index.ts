export { EmailParseError } from './email-parse.error';
export { parseEmail } from './parse-email';
export type { ParsedEmail, ParsedEmailAttachment } from './parse-email';
