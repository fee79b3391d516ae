export * from './store';
export * from './incident-id';
export {
  AwsIncidentStore,
  CONTAINMENTS_PARTITION,
  EVIDENCE_BUCKET_ENV,
  INCIDENTS_TABLE_ENV,
  INCIDENT_SORT_KEY,
  TTL_ATTRIBUTE,
  incidentPartitionKey,
  type AwsIncidentStoreOptions,
} from './aws-incident-store';
export { CONTAINMENTS_PREFIX, S3IncidentStore, type S3IncidentStoreOptions } from './s3-incident-store';
export {
  CONTAINMENTS_FILE,
  DEFAULT_LOCAL_INCIDENTS_DIR,
  LocalIncidentStore,
  type LocalIncidentStoreOptions,
} from './local-incident-store';
