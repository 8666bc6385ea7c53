/** The feeds scoring imports and refreshes: CISA's KEV catalogue and FIRST's EPSS scores. */
export const FEEDS = ['kev', 'epss'] as const;
export type Feed = (typeof FEEDS)[number];
