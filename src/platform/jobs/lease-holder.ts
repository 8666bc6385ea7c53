import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

/**
 * Who holds a job's lease, in enough detail for a later process to tell that the holder is gone: the
 * instance (the data directory's id and the host), the kernel's boot, and the process. A server that
 * starts again on the same data directory releases at once the leases of its dead predecessors instead
 * of waiting for them to expire (issue 10, recovery).
 */
export interface LeaseHolder {
  /** `<data dir instance id>@<host name>`: the same across restarts of a server on this data directory and host. */
  readonly instance: string;
  /** The kernel's boot id; null where the system does not tell it. */
  readonly bootId: string | null;
  readonly pid: number;
  /** The lease owner this process writes: unique to this run of the process, even when its pid is reused. */
  readonly worker: string;
}

/** Where the instance id of a data directory is kept. */
export const INSTANCE_ID_FILE = 'instance-id';

/** The data directory's instance id, created on first use (kept in `<dataDir>/instance-id`). */
export function instanceIdOf(dataDir: string): string {
  const file = path.join(dataDir, INSTANCE_ID_FILE);
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f-]{36}$/.test(existing)) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  const id = randomUUID();
  try {
    // `wx`: when two processes create it at once, the second reads the first's.
    writeFileSync(file, `${id}\n`, { flag: 'wx' });
    return id;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw error;
  }
}

/** Linux's id of the current boot, which changes at every reboot; null elsewhere. */
export function readBootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
  } catch {
    return null;
  }
}

/** Whether a process with this id exists on this host (EPERM: it exists, owned by someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This process as a lease holder on the data directory `dataDir`. */
export function currentLeaseHolder(dataDir: string): LeaseHolder {
  const host = hostname();
  return {
    instance: `${instanceIdOf(dataDir)}@${host}`,
    bootId: readBootId(),
    pid: process.pid,
    worker: `${host}:${process.pid}:${randomBytes(4).toString('hex')}`,
  };
}

/** What is stored on a lease about its holder. */
export interface StoredLease {
  readonly lease_owner: string | null;
  readonly lease_instance: string | null;
  readonly lease_boot_id: string | null;
  readonly lease_pid: number | null;
}

/**
 * Whether the process that holds `lease` is certainly gone, as `holder` (a process of the same instance)
 * can tell: the machine rebooted since, or no process has its pid, or its pid is now `holder`'s own (a
 * process that has just started has taken no lease under another owner name). Leases of other instances,
 * or without a holder (taken by hand), are never judged here: they wait for their expiry.
 */
export function holderIsGone(lease: StoredLease, holder: LeaseHolder, isAlive: (pid: number) => boolean = isProcessAlive): boolean {
  if (lease.lease_instance !== holder.instance || lease.lease_pid === null) return false;
  if (lease.lease_boot_id !== holder.bootId) return true;
  if (lease.lease_pid === holder.pid) return lease.lease_owner !== holder.worker;
  return !isAlive(lease.lease_pid);
}
