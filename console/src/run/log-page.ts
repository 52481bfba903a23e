/**
 * Events a RunEvents request asks for: the most the server answers (`MAX_EVENT_PAGE_SIZE`; the document's
 * cost does not grow with `first`), so that a run's whole log — 123 events for 60 steps — is one request,
 * not a chain of pages each waiting for the one before.
 */
export const EVENTS_PAGE = 1_000;
