/**
 * Frontier's light entry point: its events and their payload types, loading no database, no HTTP and no
 * other module's routes, so that a consumer may import them without loading frontier.
 */
export * from './events.js';
