import type { z } from 'zod';

/**
 * Free-text rules for inputs that are stored and shown again: control characters (NUL, escape
 * sequences and the other C0/C1 codes) corrupt logs, CSV exports and terminals, so single-line
 * fields refuse them all and multi-line fields allow only tab and line breaks.
 */
const SINGLE_LINE = /^[^\p{Cc}]*$/u;
const MULTI_LINE = /^(?:[^\p{Cc}]|[\t\n\r])*$/u;

export const singleLine = (schema: z.ZodString) =>
  schema.regex(SINGLE_LINE, 'Must not contain control characters or line breaks');

export const multiLine = (schema: z.ZodString) =>
  schema.regex(MULTI_LINE, 'Must not contain control characters');
