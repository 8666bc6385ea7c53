/**
 * Notify: delivery of the clearinghouse's events to the organisations entitled to them — signed webhooks
 * (Standard Webhooks), retried and dead-lettered, an in-app inbox — targeted advisories with each
 * operator's own assets and deadlines, and remediation tracking (issue 16).
 *
 * This first step holds the pure domain; the service, routes and commands follow.
 */
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
export { NOTIFICATION_TYPES, type NotificationType } from './domain/notification.js';
export {
  REPORTED_STATUSES,
  VEX_JUSTIFICATIONS,
  type RemediationStatus,
  type ReportedStatus,
  type VexJustification,
} from './domain/remediation.js';
