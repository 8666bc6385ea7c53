/** Told how far a feed import has got (rows written of all), for a progress bar. */
export type FeedProgress = (done: number, total: number) => void;
