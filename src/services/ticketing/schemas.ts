import { z } from 'zod';
import { TICKET_PRIORITIES } from '../../entities/domain/ticket.entity.js';

/** `low|medium|high|urgent`, any case; `normal` is read as `medium`. */
export const ticketPriority = z.preprocess(
  (value) => (typeof value === 'string' ? (value.trim().toLowerCase() === 'normal' ? 'medium' : value.trim().toLowerCase()) : value),
  z.enum(TICKET_PRIORITIES),
);
