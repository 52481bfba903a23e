import { z } from 'zod';
import { Quote } from '../../entities/domain/quote.entity.js';
import { uuid } from '../shared/schemas.js';
import { undoStatus } from '../shared/undo-status.js';
import { defineServiceMethod } from '../registry.js';

/**
 * crm.withdrawQuote(quoteId) → {quoteId, quoteNumber, status}
 *
 * The compensation of createRenewalQuote: a quote still `sent` when its run failed (its e-mail could not be
 * written, so the customer never saw it) is `expired`, so it cannot be accepted out of the blue later. An
 * accepted quote stands — the customer's word is not withdrawn — and a retry of the run makes a new quote.
 */
export const withdrawQuote = defineServiceMethod({
  service: 'crm',
  method: 'withdrawQuote',
  description: 'Withdraws (expires) a sent quote whose run failed (compensation of createRenewalQuote; idempotent).',
  effects: 'local',
  input: z.object({ quoteId: uuid }),
  async run(ctx, input) {
    const quote = await undoStatus(ctx, Quote, input.quoteId, 'quote', { from: 'sent', to: 'expired' });
    return { quoteId: quote.id, quoteNumber: quote.number, status: quote.status };
  },
});
