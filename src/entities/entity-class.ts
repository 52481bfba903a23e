/** An entity's class, as MikroORM's entity lists take it (any constructor, whatever its arguments). */
export type EntityClass = abstract new (...args: never[]) => object;
