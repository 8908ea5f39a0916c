export { type ArchiveStore, assertValidKey, MAX_KEY_BYTES, type PutOptions } from "./archive-store";
export { DirectoryArchiveStore } from "./directory-archive-store";
export { type LogBatchKeyInput, logBatchKey } from "./log-batch-key";
export { S3ArchiveStore, type S3ArchiveStoreOptions, type S3Config } from "./s3-archive-store";
