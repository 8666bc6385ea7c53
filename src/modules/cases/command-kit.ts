/** What every `clearinghouse cases …` command shares: its flags and dispatch (identity's, for acting as an organisation), its API paths. */
export { actingCommand as command, dispatchActing as either, type ActingFlags as Flags } from '../identity/index.js';

export const path = (id: string, rest = '') => `/api/v1/cases/${encodeURIComponent(id)}${rest}`;
