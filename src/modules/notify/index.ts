/**
 * Notify: delivery of the clearinghouse's events to the organisations entitled to them — signed webhooks
 * (Standard Webhooks), retried for a day with backoff, dead-lettered and replayable, behind a per-endpoint
 * circuit breaker and SSRF checks; an in-app inbox — advisories targeted at exactly the operators whose
 * inventories match, each with its own assets and deadlines; and remediation tracking (issue 16).
 */
import type { ModuleMigrations } from '../../platform/db/index.js';
import { init } from './migrations/0001-init.js';
import { deliveryHolder } from './migrations/0002-delivery-holder.js';
import { unreadIndex } from './migrations/0003-unread-index.js';

export {
  generateWebhookSecret,
  signWebhook,
  verifyWebhook,
  webhookHeaders,
  webhookSecretKey,
  WEBHOOK_SECRET_PREFIX,
  WEBHOOK_TOLERANCE_SECONDS,
  type WebhookHeaders,
  type WebhookVerification,
} from './domain/webhook-signature.js';
export { NOTIFICATION_TYPES, type AdvisoryNoticeData, type NotificationType, type PublicationNotice } from './domain/notification.js';
export {
  REPORTED_STATUSES,
  VEX_JUSTIFICATIONS,
  type RemediationStatus,
  type ReportedStatus,
  type VexJustification,
} from './domain/remediation.js';
export type { AllowlistEntry, Delivery, DeliveryAttempt, NewWebhook, Notification, RemediationItem, Webhook } from './presenters.js';
export { addAllowlistEntry, allowListBlocks, getAllowlist, removeAllowlistEntry } from './service/allowlist.js';
export {
  deleteWebhook,
  getWebhook,
  listWebhooks,
  registerWebhook,
  rotateWebhookSecret,
  updateWebhook,
  type WebhookFields,
} from './service/webhooks.js';
export { getDelivery, listDeliveries, replayDeadLetters, testWebhook } from './service/deliveries.js';
export { dispatchBatch, dispatchDue, type BatchResult, type DispatchOptions } from './service/dispatcher.js';
export { createHttpTransport, type WebhookTransport } from './service/webhook-transport.js';
export { getNotification, listInbox, markInboxRead } from './service/inbox.js';
export { notifyAffectedOperators, type TargetingRequest, type TargetingResult } from './service/targeting.js';
export { notifyPublication } from './service/publication.js';
export { PUBLICATION_SOURCE } from './domain/publication-record.js';
export {
  listRemediation,
  readRemediationLink,
  reportByLink,
  reportRemediation,
  type RemediationReportInput,
} from './service/remediation.js';
export { advisoryRemediation, advisoryRemediationCsv, type AdvisoryRemediation } from './service/oversight.js';
export { sendOverdueReminders } from './service/reminders.js';
export { notifyConsumers, type NotifyBackgroundDeps } from './consumers.js';
export { notifyJobs, notifySchedules, REMINDER_JOB } from './jobs.js';
export { DISPATCH_JOB } from './service/fan-out.js';
export { notifyRoutes } from './routes.js';
export { registerNotifyCommands } from './commands.js';

export const notifyMigrations: ModuleMigrations = { module: 'notify', migrations: [init, deliveryHolder, unreadIndex] };
