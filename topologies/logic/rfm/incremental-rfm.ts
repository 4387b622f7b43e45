import { applyRfmEvent, type CustomerRfm, type RfmEvent } from './customer-rfm.ts';
import { scoreRfm, type RfmInput, type RfmScore } from './rfm-scores.ts';
import type { SegmentMap } from './segment-map.ts';

/**
 * Continuous RFM: per-customer state updated by every purchase or cancellation (the state
 * a topology keeps in a key-value store), and scores recomputed over the current
 * population whenever they are asked for (quintiles are relative, so one customer's
 * purchase can move other customers' scores).
 */
export class IncrementalRfm {
  private readonly customers = new Map<string, CustomerRfm>();

  constructor(private readonly map?: SegmentMap) {}

  /** Applies one event and returns the customer's new state. */
  apply(event: RfmEvent): CustomerRfm {
    const next = applyRfmEvent(this.customers.get(event.customerId), event);
    this.customers.set(event.customerId, next);
    return next;
  }

  state(customerId: string): CustomerRfm | undefined {
    return this.customers.get(customerId);
  }

  scores(referenceTime: number): RfmScore[] {
    return scoreRfm(populationOf(this.customers.values()), referenceTime, this.map);
  }
}

export function populationOf(states: Iterable<CustomerRfm>): RfmInput[] {
  const population: RfmInput[] = [];
  for (const s of states) {
    if (s.lastPurchase !== null) population.push({ customerId: s.customerId, lastPurchase: s.lastPurchase, frequency: s.orderIds.length, monetary: s.monetary });
  }
  return population;
}
