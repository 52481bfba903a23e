import { BigIntType } from '@mikro-orm/core';

/**
 * Money columns: integer minor units in `bigint` (an `integer` caps a total at 21 million dollars), read
 * back as JS numbers, which are exact up to 2^53 minor units.
 */
export const moneyType = (): BigIntType<'number'> => new BigIntType('number');

/** ISO 4217 code: three upper-case letters; the tables enforce it with a CHECK. */
export const CURRENCY_PATTERN = /^[A-Z]{3}$/;
export const currencyCheck = (column = 'currency'): string => `${column} ~ '^[A-Z]{3}$'`;
