import type { EntityManager } from '@mikro-orm/postgresql';
import { ExchangeRate } from '../../entities/domain/exchange-rate.entity.js';
import { TaxRate } from '../../entities/domain/tax-rate.entity.js';
import { AppError } from '../../errors.js';

/** The rate of a region (`DE`, `AU`, `US-CA`); a US state without its own row is refused, never guessed. */
export async function taxRateOf(em: EntityManager, region: string): Promise<TaxRate> {
  const rate = await em.findOne(TaxRate, { region });
  if (!rate) {
    const known = (await em.find(TaxRate, {}, { orderBy: { region: 'asc' } })).map((each) => each.region);
    throw new AppError('VALIDATION', `no tax rate for region ${region}: one of ${known.join(', ')}`, {
      details: { field: 'region', region },
    });
  }
  return rate;
}

/** One unit of `base` in `quote`, in millionths. */
export async function exchangeRateOf(em: EntityManager, base: string, quote: string): Promise<bigint> {
  if (base === quote) return 1_000_000n;
  const rate = await em.findOne(ExchangeRate, { base, quote });
  if (!rate) throw new AppError('VALIDATION', `no exchange rate from ${base} to ${quote}`, { details: { base, quote } });
  return BigInt(rate.rateMicros);
}
