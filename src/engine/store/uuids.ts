const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` can name a row: anything else names none, and is not sent to PostgreSQL as a uuid. */
export const isUuid = (value: string): boolean => UUID.test(value);
