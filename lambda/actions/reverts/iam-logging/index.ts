/** The iam-logging reverters. */
import type { ChangeReverter } from '../types';

export const IAM_LOGGING_REVERTERS: readonly ChangeReverter[] = [];
