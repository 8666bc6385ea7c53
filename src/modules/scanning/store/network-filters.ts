import { sql, type Expression, type SqlBool } from 'kysely';
import { properSuffixes } from '../domain/hostname.js';
import type { ScanTarget } from '../domain/scan-target.js';
import { targetColumns } from './target-columns.js';

/**
 * A condition on a table with target columns (`kind`, `target_key`, `net_low`, `net_high`, `host_name`)
 * that holds for every stored target that may overlap one of `targets` — a superset the caller confirms
 * with the domain's overlap rules: equal keys; CIDR blocks whose bounds interleave; host names equal to the
 * name or to a suffix it lies below (wildcards are stored under their base), and for a wildcard, every
 * name below its base.
 */
export function mayOverlap(table: string, targets: readonly ScanTarget[]): Expression<SqlBool> {
  const col = (name: string) => sql.ref(`${table}.${name}`);
  const parts: Expression<SqlBool>[] = [];
  const keys = targets.filter((t) => t.kind !== 'cidr' && t.kind !== 'hostname').map((t) => t.key);
  if (keys.length > 0) parts.push(sql<SqlBool>`${col('target_key')} in (${sql.join(keys)})`);
  for (const target of targets) {
    if (target.kind === 'cidr') {
      const { net_low: low, net_high: high } = targetColumns(target);
      parts.push(sql<SqlBool>`(${col('net_low')} <= ${high} and ${col('net_high')} >= ${low})`);
    } else if (target.kind === 'hostname') {
      const names = [target.host.name, ...properSuffixes(target.host.name)];
      parts.push(sql<SqlBool>`${col('host_name')} in (${sql.join(names)})`);
      if (target.host.wildcard) parts.push(sql<SqlBool>`${col('host_name')} like ${`%.${target.host.name}`}`);
    }
  }
  return parts.length === 0 ? sql<SqlBool>`1 = 0` : sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}
