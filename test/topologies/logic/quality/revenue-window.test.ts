import { describe, expect, it } from 'vitest';
import { decimal } from '../../../../topologies/logic/money/decimal.ts';
import { addSilverOrder, emptyRevenueWindow, replaceGoldRow, revenueWindowRetired } from '../../../../topologies/logic/quality/revenue-window.ts';

const H = 3_600_000;

describe('revenue window', () => {
  it('adds silver orders and replaces gold rows by their latest value, exactly', () => {
    let w = emptyRevenueWindow();
    w = addSilverOrder(w, decimal('20.10'));
    w = addSilverOrder(w, decimal('0.105'));
    expect(w.silver).toBe('20.205');
    w = replaceGoldRow(w, null, decimal('20.10'));
    w = replaceGoldRow(w, decimal('20.10'), decimal('22.93'));
    w = replaceGoldRow(w, null, decimal('3.00'));
    expect(w.gold).toBe('25.93');
    expect(replaceGoldRow(w, decimal('3.00'), null).gold).toBe('22.93');
  });

  it('retires a window once both sides are past its end + lateness + margin', () => {
    const end = 60_000;
    expect(revenueWindowRetired(end, end + 49 * H, end + 49 * H, 48 * H, H)).toBe(true);
    expect(revenueWindowRetired(end, end + 49 * H, end + 49 * H - 1, 48 * H, H)).toBe(false);
    expect(revenueWindowRetired(end, -Infinity, end + 100 * H, 48 * H, H)).toBe(false);
  });
});
