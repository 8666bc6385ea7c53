import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, readlinkSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

/**
 * Who holds a job's lease, in enough detail for a later process to tell for certain that the holder is
 * gone: the instance (the data directory's id and the host), the kernel's boot, the pid namespace, and
 * the process (its pid and when it started). A server that starts again on the same data directory
 * releases at once the leases of its dead predecessors instead of waiting for them to expire (issue 10,
 * recovery). Host names and pids repeat across containers, so a pid is judged only inside the namespace
 * and boot it was taken in, and only together with its start time (a pid is reused, its start time not).
 */
export interface LeaseHolder {
  /** `<data dir instance id>@<host name>`: the same across restarts of a server on this data directory and host. */
  readonly instance: string;
  /** The kernel's boot id; null where the system does not tell it. */
  readonly bootId: string | null;
  /** The pid namespace, as `/proc/self/ns/pid` names it (`pid:[4026531836]`); null where the system does not tell it. */
  readonly pidNamespace: string | null;
  readonly pid: number;
  /** When the process started, in clock ticks after boot (`/proc/<pid>/stat` field 22); null where unknown. */
  readonly startTime: string | null;
  /** The lease owner this process writes: unique to this run of the process, even when its pid is reused. */
  readonly worker: string;
}

/** Where the instance id of a data directory is kept. */
export const INSTANCE_ID_FILE = 'instance-id';

const INSTANCE_ID = /^[0-9a-f-]{36}$/;

/**
 * The data directory's instance id, created on first use (kept in `<dataDir>/instance-id`). The file is
 * written whole under a temporary name and linked into place, so it never exists half-written; when
 * another process links its own first, that one's id is read and used.
 */
export function instanceIdOf(dataDir: string): string {
  const file = path.join(dataDir, INSTANCE_ID_FILE);
  const existing = readInstanceId(file);
  if (existing !== null) return existing;
  mkdirSync(dataDir, { recursive: true });
  const id = randomUUID();
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temp, 'wx');
  try {
    writeSync(fd, `${id}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, file);
    return id;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const theirs = readInstanceId(file);
    if (theirs === null) throw new Error(`${file} vanished while it was being created`);
    return theirs;
  } finally {
    unlinkSync(temp);
  }
}

function readInstanceId(file: string): string | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (!INSTANCE_ID.test(text)) throw new Error(`${file} holds no instance id; remove it to have a new one made`);
  return text;
}

/** Linux's id of the current boot, which changes at every reboot; null elsewhere. */
export function readBootId(): string | null {
  return readProc(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null);
}

/** This process's pid namespace (`pid:[…]`); null where there is no `/proc`. */
export function readPidNamespace(): string | null {
  return readProc(() => readlinkSync('/proc/self/ns/pid') || null);
}

/**
 * When the process `pid` (of this pid namespace) started, in clock ticks after boot; null when no process
 * has this pid, or there is no `/proc`.
 */
export function processStartTime(pid: number): string | null {
  return readProc(() => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2, the command name, is in parentheses and may hold spaces and parentheses: count after the last.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[22 - 3] ?? null;
  });
}

function readProc<T>(read: () => T | null): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}

/** This process as a lease holder on the data directory `dataDir`. */
export function currentLeaseHolder(dataDir: string): LeaseHolder {
  const host = hostname();
  return {
    instance: `${instanceIdOf(dataDir)}@${host}`,
    bootId: readBootId(),
    pidNamespace: readPidNamespace(),
    pid: process.pid,
    startTime: processStartTime(process.pid),
    worker: `${host}:${process.pid}:${randomBytes(4).toString('hex')}`,
  };
}

/** What is stored on a lease about its holder. */
export interface StoredLease {
  readonly lease_owner: string | null;
  readonly lease_instance: string | null;
  readonly lease_boot_id: string | null;
  readonly lease_pid_ns: string | null;
  readonly lease_pid: number | null;
  readonly lease_started: string | null;
}

/**
 * Whether the process that holds `lease` is certainly gone, as `holder` can tell: only for a lease of
 * `holder`'s own instance taken in the same boot and pid namespace (elsewhere the pid means another
 * process, perhaps a live one in another container), and then only when no process has its pid or the
 * process that has it started at another time (the pid was reused — by `holder` itself too). A lease
 * without all of these (taken by hand, before they were recorded, or where `/proc` is missing) is never
 * judged here: it waits for its expiry.
 */
export function holderIsGone(
  lease: StoredLease,
  holder: LeaseHolder,
  startTimeOf: (pid: number) => string | null = processStartTime,
): boolean {
  if (lease.lease_instance !== holder.instance || lease.lease_pid === null || lease.lease_started === null) return false;
  if (holder.bootId === null || lease.lease_boot_id !== holder.bootId) return false;
  if (holder.pidNamespace === null || lease.lease_pid_ns !== holder.pidNamespace) return false;
  return startTimeOf(lease.lease_pid) !== lease.lease_started;
}
