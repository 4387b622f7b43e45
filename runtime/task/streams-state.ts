import { StreamsError } from '../errors/streams-error.ts';

/**
 * The life cycle of a KafkaStreams instance, as in Kafka Streams:
 * CREATED → REBALANCING ⇄ RUNNING → PENDING_SHUTDOWN → NOT_RUNNING, and ERROR when a
 * task fails with a non-recoverable error (then `close()` leads to NOT_RUNNING).
 */
export type StreamsState = 'CREATED' | 'REBALANCING' | 'RUNNING' | 'PENDING_SHUTDOWN' | 'NOT_RUNNING' | 'ERROR';

export const STREAMS_STATES: readonly StreamsState[] = ['CREATED', 'REBALANCING', 'RUNNING', 'PENDING_SHUTDOWN', 'NOT_RUNNING', 'ERROR'];

const TRANSITIONS: Record<StreamsState, readonly StreamsState[]> = {
  CREATED: ['REBALANCING', 'PENDING_SHUTDOWN', 'ERROR'],
  REBALANCING: ['RUNNING', 'REBALANCING', 'PENDING_SHUTDOWN', 'ERROR'],
  RUNNING: ['REBALANCING', 'PENDING_SHUTDOWN', 'ERROR'],
  PENDING_SHUTDOWN: ['NOT_RUNNING'],
  NOT_RUNNING: [],
  ERROR: ['PENDING_SHUTDOWN'],
};

export type StateListener = (next: StreamsState, previous: StreamsState) => void;

/** Holds the current state, checks each transition and tells the listeners. */
export class StreamsStateMachine {
  private current: StreamsState = 'CREATED';
  private readonly listeners: StateListener[] = [];

  get state(): StreamsState {
    return this.current;
  }

  onChange(listener: StateListener): void {
    this.listeners.push(listener);
  }

  /** Moves to `next`; returns false (no change) when already there. Throws on an illegal move. */
  transition(next: StreamsState): boolean {
    const previous = this.current;
    if (previous === next) return false;
    if (!TRANSITIONS[previous].includes(next)) {
      throw new StreamsError('ILLEGAL_STATE_TRANSITION', `cannot move from ${previous} to ${next}`);
    }
    this.current = next;
    for (const l of this.listeners) l(next, previous);
    return true;
  }
}
