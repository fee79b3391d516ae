/** The ec2 reverters. */
import type { ChangeReverter } from '../types';

export const EC2_REVERTERS: readonly ChangeReverter[] = [];
