/** The data reverters. */
import type { ChangeReverter } from '../types';

export const DATA_REVERTERS: readonly ChangeReverter[] = [];
