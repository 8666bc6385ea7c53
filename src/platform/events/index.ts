export {
  EVENT_JOB_PREFIX,
  createOutbox,
  eventJobHandlers,
  eventsAbout,
  type DomainEvent,
  type EventConsumer,
  type EventPublisher,
  type StoredEvent,
} from './outbox.js';
