/**
 * Validation's light entry point: its events and their payload types and its extension points, loading no database, no HTTP and no
 * other module's routes, so that a consumer may import them without loading validation.
 */
export * from './events.js';
export { CLUSTER_PRIORITY, type ClusterPriority, type ClusterPriorityReader } from './extension-points.js';
