import { join, resolve } from 'node:path';
import { ROOT } from '../../deploy/local/paths.ts';

/**
 * The public data sets in `../shared/data` beside the repository (read in place, never
 * copied into it). CI lays a copy of shared/ beside its fresh clone, so the path is
 * relative to the checkout; STREAMHOUSE_SHARED_DATA overrides it.
 */
export const SHARED_DATA = process.env.STREAMHOUSE_SHARED_DATA ?? resolve(ROOT, '..', 'shared', 'data');
export const UCI_ONLINE_RETAIL = join(SHARED_DATA, 'online_retail.csv.gz');
export const REES46_SAMPLE = join(SHARED_DATA, 'rees46-2019-oct-sample.csv');
