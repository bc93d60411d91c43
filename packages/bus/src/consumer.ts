import { PolkuError, type Logger } from '@polku/service-kit';
import { timeHandler } from '@polku/telemetry';
import { CONSUME_DEFAULTS, type ConsumeOptions, type ConsumerHandle, type EventHandler } from './consume-options';
import { createDeadLetterWriter } from './dead-letter';
import { handleRecord, type RecordPipeline } from './handle-record';
import type { Sender } from './sender';
import { retryRetriable } from './transport/retriable';
import type { Transport } from './transport/types';
import type { EventValidator } from './validation';

/** What a consumer borrows from its bus. */
export interface ConsumerDeps {
  transport: Transport;
  sender: Sender;
  validate: EventValidator;
  logger: Logger;
}

/** Joins the group and starts handling; resolves once the consumer is running. */
export async function startConsumer(options: ConsumeOptions, deps: ConsumerDeps): Promise<ConsumerHandle> {
  const settings = resolveOptions(options, deps);
  const { groupId, heartbeatIntervalMs, partitionConcurrency } = options;
  const sessionTimeoutMs = options.sessionTimeoutMs ?? CONSUME_DEFAULTS.sessionTimeoutMs;
  const consumer = deps.transport.consumer({ groupId, sessionTimeoutMs, heartbeatIntervalMs, partitionConcurrency });
  const abort = new AbortController();
  const pipeline: RecordPipeline = {
    ...settings,
    groupId,
    handler: timedAttempts(groupId, options.handler),
    validate: deps.validate,
    deadLetters: createDeadLetterWriter(deps.sender, options.groupId),
    logger: deps.logger.child({ groupId: options.groupId }),
    hooks: options.hooks ?? {},
    signal: abort.signal,
  };
  try {
    // A broker restarting (or its group coordinator still loading) makes the start wait, not fail.
    await retryRetriable(() => consumer.connect());
    await retryRetriable(() => consumer.subscribe(options.topics, options.fromBeginning ?? CONSUME_DEFAULTS.fromBeginning));
    await consumer.run((record, context) => handleRecord(record, context, pipeline));
  } catch (error) {
    await consumer.disconnect().catch(() => {});
    throw error;
  }
  pipeline.logger.info({ topics: options.topics }, 'consumer started');

  let stopping: Promise<void> | undefined;
  return {
    stop: () =>
      (stopping ??= (async () => {
        abort.abort();
        await consumer.disconnect();
        pipeline.logger.info('consumer stopped');
      })()),
  };
}

function resolveOptions(options: ConsumeOptions, deps: ConsumerDeps) {
  const maxAttempts = options.maxAttempts ?? CONSUME_DEFAULTS.maxAttempts;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new PolkuError('BUS_CONFIG_INVALID', 'maxAttempts must be a whole number of at least 1');
  }
  return {
    maxAttempts,
    backoff: { ...CONSUME_DEFAULTS.backoff, ...options.backoff },
  };
}

/** Each attempt's duration goes to `polku_event_handler_duration_seconds` (waits between retries are not in it). */
function timedAttempts(group: string, handler: EventHandler): EventHandler {
  return (event, context) => {
    const done = timeHandler({ group, type: event.type });
    return handler(event, context).finally(done);
  };
}
