import { Foundation1763884800000 } from './1763884800000-foundation';

/** Every migration, in order. New ones are appended; committed ones never change. */
export const MIGRATIONS = [Foundation1763884800000];
