// The S3 archive store, loaded only by bridges whose owner has a bucket of their own. The bundle
// builds it into a file of its own (scripts/build.mjs): the AWS SDK is most of the bridge's code,
// and a bridge shipping through the control plane should not carry it in memory.
export { S3ArchiveStore } from "@nervesys/archive";
