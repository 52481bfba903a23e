import { ApiKey } from './api-key.entity.js';

export { ApiKey };

/** Entities of authentication and authorisation (API keys…); users and tenants are core entities. */
export const AUTH_ENTITIES: Function[] = [ApiKey];
