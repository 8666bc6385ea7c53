import type { Command } from 'commander';
import { ApiClient, type RemoteOptions } from './api-client.js';
import { remoteOptions, withRemoteOptions, type CommandDeps, type LocalOptions, type LocalRuntime } from './command-deps.js';
import { InputError } from '../errors.js';
import { emit, table } from './output.js';

/** The flags every command that may run locally or remotely takes. */
export interface RemoteFlags {
  url?: string;
  token?: string;
  json?: boolean;
}

/** A subcommand with `--url`/`--token` and `--json`. */
export function remoteCommand(parent: Command, name: string, description: string): Command {
  return withRemoteOptions(parent.command(name).description(description)).option('--json', 'print JSON');
}

/**
 * Runs `local` on the configured database (as the local operator), or `remote` against `--url` as the
 * token's user: one command, two transports over the same service. A command that only reads says so
 * (`{ reads: true }`): without `--url` and without a local database it stops with exit 2, naming the data
 * path, instead of creating an empty database and printing an empty answer.
 */
export async function dispatch<T>(
  deps: CommandDeps,
  flags: RemoteFlags,
  local: (rt: LocalRuntime) => Promise<T>,
  remote: (api: ApiClient, target: RemoteOptions) => Promise<T>,
  options: LocalOptions = {},
): Promise<T> {
  const target = remoteOptions(flags, deps.env);
  if (target !== null) return remote(new ApiClient(target), target);
  return withLocal(deps, local, options);
}

/** Runs `work` on the configured database, closing it afterwards whatever happens. */
export async function withLocal<T>(deps: CommandDeps, work: (rt: LocalRuntime) => Promise<T>, options: LocalOptions = {}): Promise<T> {
  const runtime = await deps.openLocal(options);
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}

/** {@link dispatch}, then prints the result: JSON with `--json`, else the human rendering. */
export async function respond<T>(
  deps: CommandDeps,
  flags: RemoteFlags,
  local: (rt: LocalRuntime) => Promise<T>,
  remote: (api: ApiClient, target: RemoteOptions) => Promise<T>,
  human: (value: T) => string,
  options: LocalOptions = {},
): Promise<void> {
  emit(deps.output, flags.json, await dispatch(deps, flags, local, remote, options), human);
}

/** A query string from the defined values, each encoded: `a=1&b=x%20y`. */
export function queryString(params: Readonly<Record<string, string | number | boolean | undefined>>): string {
  return Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');
}

/**
 * The line under a cut list: how many are shown, and how to see the rest (the cursor, or `--all`).
 * Empty when the list is complete.
 */
export function moreHint(shown: number, nextCursor: string | null, total?: number): string {
  if (nextCursor === null) return '';
  const of = total === undefined ? '' : ` of ${total}`;
  return `showing ${shown}${of}; more with --cursor ${nextCursor} (or --all, or a larger --limit up to 500)`;
}

/** A page as a table, one row per item, with {@link moreHint}'s line under it when there is more. */
export function pageTable<T>(
  page: { readonly items: readonly T[]; readonly nextCursor: string | null },
  headers: readonly string[],
  row: (item: T) => readonly string[],
): string {
  const hint = moreHint(page.items.length, page.nextCursor);
  const rows = table(headers, page.items.map(row));
  return hint === '' ? rows : `${rows}\n${hint}`;
}

/** The paging flags of a list command. */
export interface PagingFlags {
  limit?: number;
  cursor?: string;
  all?: boolean;
}

function pageLimit(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 500)
    throw new InputError(`--limit must be a whole number from 1 to 500, got "${value}"`, [
      { pointer: '--limit', detail: 'must be 1 to 500' },
    ]);
  return Number(value);
}

/** Adds `--limit`, `--cursor` and `--all` to a list command. */
export function withPaging(command: Command): Command {
  return command
    .option('--limit <n>', 'rows per page, 1 to 500 (default 50)', pageLimit)
    .option('--cursor <cursor>', 'continue after the page that printed it')
    .option('--all', 'every page, one after another');
}

/**
 * One page as the flags ask (`--limit`, `--cursor`), or with `--all` every page fetched in turn (500 at a
 * time) and joined: the answer's other fields are those of the first page, `nextCursor` null.
 */
export async function pages<P extends { items: unknown[]; nextCursor: string | null }>(
  flags: PagingFlags,
  fetchPage: (request: { limit?: number; cursor?: string }) => Promise<P>,
): Promise<P> {
  if (flags.all !== true)
    return fetchPage({
      ...(flags.limit === undefined ? {} : { limit: flags.limit }),
      ...(flags.cursor === undefined ? {} : { cursor: flags.cursor }),
    });
  const first = await fetchPage({ limit: 500, ...(flags.cursor === undefined ? {} : { cursor: flags.cursor }) });
  const items = [...first.items];
  let cursor = first.nextCursor;
  while (cursor !== null) {
    const next = await fetchPage({ limit: 500, cursor });
    items.push(...next.items);
    cursor = next.nextCursor;
  }
  return { ...first, items, nextCursor: null };
}
