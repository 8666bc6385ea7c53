import type { ServiceContext } from '../../../platform/context.js';
import { DAY } from '../../../platform/clock.js';
import { InputError } from '../../../platform/errors.js';
import { authorize, isCoordinatorRecipient } from '../../identity/index.js';
import { everyReportVisibleTo } from '../../intake/index.js';
import { daysOf, queueFigures } from '../domain/queue-figures.js';
import type { QueueFigures } from '../presenters.js';
import { queueStays } from '../store/queue-figures.js';

/** The longest range one call answers, in days. */
export const QUEUE_FIGURES_MAX_DAYS = 92;
const DEFAULT_DAYS = 30;

export interface QueueFiguresQuery {
  /** First UTC day (YYYY-MM-DD); default 29 days before `to`. */
  readonly from?: string | undefined;
  /** Last UTC day, included; default today. */
  readonly to?: string | undefined;
}

/**
 * Queue volume and time to validate by UTC day (coordinators, as the queue itself): clusters entering the
 * triage queue, leaving it, waiting at the end of each day, and the median hours from first report to the
 * valid or invalid verdict of those validated that day. Derived from the same clusters the queue lists to
 * the reader: a coordinator who reads by the labels counts only the clusters whose every report it may see.
 *
 * @throws NotAllowedError for non-coordinators (`validation.queue.list`); InputError for a range that ends before it starts or spans
 * more than {@link QUEUE_FIGURES_MAX_DAYS} days.
 */
export async function triageQueueFigures(ctx: ServiceContext, query: QueueFiguresQuery): Promise<QueueFigures> {
  authorize(ctx.actor, 'validation.queue.list');
  const to = query.to ?? ctx.clock.now().toISOString().slice(0, 10);
  const from = query.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_DAYS - 1) * DAY).toISOString().slice(0, 10);
  const days = daysOf(from, to);
  if (days.length === 0) throw new InputError('to must not be before from', [{ pointer: '/to', detail: 'must not be before from' }]);
  if (days.length > QUEUE_FIGURES_MAX_DAYS)
    throw new InputError(`the range may span at most ${QUEUE_FIGURES_MAX_DAYS} days`, [
      { pointer: '/from', detail: `must be at most ${QUEUE_FIGURES_MAX_DAYS} days before to` },
    ]);
  const start = `${from}T00:00:00.000Z`;
  const end = new Date(Date.parse(`${to}T00:00:00Z`) + DAY).toISOString();
  const visible = isCoordinatorRecipient(ctx.actor) ? null : everyReportVisibleTo(ctx.actor, 'tr.cluster_id');
  const stays = await queueStays(ctx.db.kysely, { start, end }, visible);
  return { from, to, days: queueFigures(stays, days) };
}
