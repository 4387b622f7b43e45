import { describe, expect, it } from 'vitest';
import { StreamsError } from '../../../runtime/errors/streams-error.ts';
import { StreamsStateMachine, type StreamsState } from '../../../runtime/task/streams-state.ts';

describe('StreamsStateMachine', () => {
  it('walks the normal life cycle and tells listeners (new, old)', () => {
    const machine = new StreamsStateMachine();
    const seen: [StreamsState, StreamsState][] = [];
    machine.onChange((next, previous) => seen.push([next, previous]));
    for (const s of ['REBALANCING', 'RUNNING', 'REBALANCING', 'RUNNING', 'PENDING_SHUTDOWN', 'NOT_RUNNING'] as const) machine.transition(s);
    expect(seen).toEqual([
      ['REBALANCING', 'CREATED'],
      ['RUNNING', 'REBALANCING'],
      ['REBALANCING', 'RUNNING'],
      ['RUNNING', 'REBALANCING'],
      ['PENDING_SHUTDOWN', 'RUNNING'],
      ['NOT_RUNNING', 'PENDING_SHUTDOWN'],
    ]);
  });

  it('ignores a move to the current state', () => {
    const machine = new StreamsStateMachine();
    machine.transition('REBALANCING');
    expect(machine.transition('REBALANCING')).toBe(false);
    expect(machine.state).toBe('REBALANCING');
  });

  it('rejects illegal moves with ILLEGAL_STATE_TRANSITION', () => {
    const machine = new StreamsStateMachine();
    expect(() => machine.transition('RUNNING')).toThrow(StreamsError);
    expect(() => machine.transition('RUNNING')).toThrow('cannot move from CREATED to RUNNING');
    machine.transition('REBALANCING');
    machine.transition('ERROR');
    expect(() => machine.transition('RUNNING')).toThrow('cannot move from ERROR to RUNNING');
    machine.transition('PENDING_SHUTDOWN');
    machine.transition('NOT_RUNNING');
    expect(() => machine.transition('REBALANCING')).toThrow('cannot move from NOT_RUNNING to REBALANCING');
  });
});
