import { Module } from '@nestjs/common';
import { MessagesModule } from '@pasokh/messages';
import { DeliveryStatusService } from './delivery-status.service';
import { DeliveryWorker } from './delivery.worker';

@Module({ imports: [MessagesModule], providers: [DeliveryWorker, DeliveryStatusService], exports: [DeliveryStatusService] })
export class DeliveryModule {}
