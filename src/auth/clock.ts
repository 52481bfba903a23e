/** What time it is, for expiry decisions that tests must be able to move (invitations, resets). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * The clock of one ORM instance, found from any EntityManager forked from it (they share its
 * configuration object). The composition root may set one; tests set a movable one on their server's
 * `orm`. Without one: the system clock.
 */
const clocks = new WeakMap<object, Clock>();

export function setClock(orm: { config: object }, clock: Clock): void {
  clocks.set(orm.config, clock);
}

export function clockOf(em: { config: object }): Clock {
  return clocks.get(em.config) ?? systemClock;
}
