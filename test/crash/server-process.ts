import type { ChildProcess } from 'node:child_process';
import { killed, waitForLine } from '#test-support/spawn.js';
import { spawnClearinghouse } from './server-entry.js';

/** The tail of a child's output kept for diagnostics (its pipes must be read, or it blocks when they fill). */
const TAIL_CHARS = 20_000;

/**
 * The real server (`clearinghouse serve`: compiled when dist is current, else the sources) in a
 * child process on an ephemeral port, started and killed as the crash harness and the outage test need.
 */
export class ServerProcess {
  #child: ChildProcess | undefined;
  #tail = '';
  #url = '';

  constructor(readonly env: Record<string, string>) {}

  /** The base URL of the running server (a new port after each start). */
  get url(): string {
    if (this.#url === '') throw new Error('the server is not running');
    return this.#url;
  }

  /** The base URL, or null while the server is down or being killed. */
  get address(): string | null {
    return this.#url === '' ? null : this.#url;
  }

  get running(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** What the server printed last (for a failure's message). */
  get tail(): string {
    return this.#tail;
  }

  /** Starts the server and resolves once it listens. */
  async start(): Promise<void> {
    if (this.running) throw new Error('the server is running already');
    const child = spawnClearinghouse(['serve'], { LOG_LEVEL: 'warn', PORT: '0', HOST: '127.0.0.1', ...this.env });
    this.#child = child;
    const keep = (chunk: Buffer) => {
      this.#tail = (this.#tail + chunk.toString()).slice(-TAIL_CHARS);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const [, url] = await waitForLine(child, /listening on (http:\/\/\S+)/, 600_000);
    this.#url = url as string;
  }

  /** SIGKILL: no shutdown code runs, as in a power cut of the process. */
  async kill(): Promise<void> {
    const child = this.#child;
    this.#url = '';
    if (child !== undefined) await killed(child);
  }

  /** SIGTERM, waiting for the clean shutdown. */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#url = '';
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * One request to the server; `null` when no answer came (refused, reset, killed mid-way): the caller may
 * not count such work as accepted.
 */
export async function request(
  base: string,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<HttpAnswer | null> {
  try {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': contentType }),
      },
      body: body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed };
  } catch {
    return null;
  }
}
