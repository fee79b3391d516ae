export * from './types';
export * from './iam-user';
