import { Module } from '@nestjs/common';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsService } from './notifications.service.js';

/** The signed-in user's in-app inbox (notices are written beside their mail by `notifyOrganization` in libs/db). */
@Module({ controllers: [NotificationsController], providers: [NotificationsService] })
export class NotificationsModule {}
