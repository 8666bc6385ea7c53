/**
 * The key deduplication and every regroup serialize on (`withSerializedTransaction`): cluster membership is
 * decided from what is stored, one batch at a time, across processes.
 */
export const DEDUP_LOCK = 'intake.dedup';
