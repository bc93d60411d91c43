import { PolkuError } from '@polku/service-kit';

export class DeadLetterNotFound extends PolkuError {
  constructor() {
    super('DEAD_LETTER_NOT_FOUND', 'No dead letter has this id', { status: 404 });
  }
}

/** Replayed too often (past the limit) or parked by an operator: it is not replayed again. */
export class DeadLetterParked extends PolkuError {
  constructor(why: string) {
    super('DEAD_LETTER_PARKED', `This dead letter is parked (${why}) and is not replayed`, { status: 409 });
  }
}

/** Already replayed (a replay that fails again is a new dead letter) or resolved. */
export class DeadLetterNotOpen extends PolkuError {
  constructor(state: string) {
    super('DEAD_LETTER_NOT_OPEN', `This dead letter is ${state}; only an open one is replayed or parked`, { status: 409 });
  }
}

/** The consumer that failed has no retry topic (infra/topics.json), so a replay could reach no one but it. */
export class RetryTopicMissing extends PolkuError {
  constructor(consumer: string, topic: string) {
    super('RETRY_TOPIC_MISSING', `Consumer ${consumer} has no retry topic ${topic}; declare it in infra/topics.json and provision the topics`, { status: 409 });
  }
}

export class BulkReplayNotFound extends PolkuError {
  constructor() {
    super('BULK_REPLAY_NOT_FOUND', 'No bulk replay has this id', { status: 404 });
  }
}

/** The dead letters matching the filter are not the ones the dry run counted: dry-run again. */
export class BulkReplayCountChanged extends PolkuError {
  constructor(expected: number, matched: number) {
    super('BULK_REPLAY_COUNT_CHANGED', `The dry run counted ${expected} dead letters; ${matched} match now. Run the dry run again and confirm its count`, { status: 409 });
  }
}

/** One bulk replay per dead-letter topic at a time. */
export class BulkReplayRunning extends PolkuError {
  constructor(topic: string, id: string | undefined) {
    super('BULK_REPLAY_RUNNING', `A bulk replay of ${topic} is running${id ? ` (${id})` : ''}; cancel it or wait for it to finish`, { status: 409 });
  }
}

export class BulkReplayNotRunning extends PolkuError {
  constructor(state: string) {
    super('BULK_REPLAY_NOT_RUNNING', `This bulk replay is ${state}`, { status: 409 });
  }
}
