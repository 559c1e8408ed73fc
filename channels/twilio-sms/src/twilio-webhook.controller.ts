import { Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { ParseId, Public } from '@pasokh/common';
import { WebhookIntakeService } from '@pasokh/webhooks';
import type { Request, Response } from 'express';

// An empty TwiML answer: Twilio sends no auto-reply to the customer.
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/** Twilio calls these; each answers 2xx only after what it carried is committed. */
@ApiTags('webhooks')
@Controller('webhooks/twilio')
export class TwilioWebhookController {
  constructor(private readonly intake: WebhookIntakeService) {}

  /** An incoming SMS/MMS (form-encoded). A redelivery answers 200 and stores nothing new. */
  @Public()
  @Post(':channelId')
  @HttpCode(200)
  @ApiHeader({ name: 'X-Twilio-Signature', required: true })
  async inbound(@Param('channelId', ParseId) channelId: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<string> {
    await this.intake.receive(channelId, ['twilio_sms'], req);
    // Set here, not with @Header: an error answer must keep its JSON content type.
    res.type('text/xml');
    return EMPTY_TWIML;
  }

  /** A status callback for a reply we sent (statusCallback on the Messages API call). */
  @Public()
  @Post(':channelId/status')
  @HttpCode(200)
  @ApiHeader({ name: 'X-Twilio-Signature', required: true })
  async status(@Param('channelId', ParseId) channelId: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<string> {
    await this.intake.receive(channelId, ['twilio_sms'], req);
    res.type('text/xml');
    return EMPTY_TWIML;
  }
}
