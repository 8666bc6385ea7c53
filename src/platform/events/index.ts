export { defineEvent, eventVersion, type EventType, type PayloadOf } from './event-type.js';
export {
  EVENT_BATCH,
  EVENT_JOB_PREFIX,
  createOutbox,
  eventIdsNamedBy,
  eventJobHandlers,
  eventsAbout,
  isEvent,
  type DomainEvent,
  type EventConsumer,
  type EventPublisher,
  type StoredEvent,
} from './outbox.js';
