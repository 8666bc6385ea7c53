/**
 * Advisories' light entry point: its events and their payload types, loading no database, no HTTP and no
 * other module's routes, so that another module's declaration or domain code may use them.
 */
export * from './events.js';
