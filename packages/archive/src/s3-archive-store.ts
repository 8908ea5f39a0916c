// An ArchiveStore on an S3-compatible service (Storj in production). It makes one attempt per call:
// the uploader owns retries and backoff, so a failure must surface quickly rather than hang.
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { type ArchiveStore, assertValidKey, type PutOptions } from "./archive-store";

export type S3Config = {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
};

export type S3ArchiveStoreOptions = {
  /** Time allowed to open the TCP/TLS connection. */
  connectionTimeoutMs?: number;
  /** Time allowed for a whole request and its response; bounds a peer that accepts but never answers. */
  requestTimeoutMs?: number;
};

export class S3ArchiveStore implements ArchiveStore {
  readonly kind = "s3" as const;
  readonly #client: S3Client;
  readonly #bucket: string;

  constructor(config: S3Config, options: S3ArchiveStoreOptions = {}) {
    const { connectionTimeoutMs = 5_000, requestTimeoutMs = 30_000 } = options;
    this.#bucket = config.bucket;
    this.#client = new S3Client({
      endpoint: config.endpoint,
      region: config.region,
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
      // Storj serves buckets by path, and rejects the SDK's default (chunked, trailing) checksums.
      forcePathStyle: true,
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      maxAttempts: 1,
      // Without throwOnRequestTimeout the SDK only logs a warning when requestTimeout passes.
      requestHandler: {
        connectionTimeout: connectionTimeoutMs,
        requestTimeout: requestTimeoutMs,
        throwOnRequestTimeout: true,
      },
    });
  }

  async put(key: string, body: Buffer, { contentType, sha256 }: PutOptions): Promise<void> {
    assertValidKey(key);
    try {
      // A Buffer with its length: Storj refuses a streamed PutObject of unknown length.
      await this.#client.send(
        new PutObjectCommand({
          Bucket: this.#bucket,
          Key: key,
          Body: body,
          ContentLength: body.length,
          ContentType: contentType,
          Metadata: { sha256 },
        }),
      );
    } catch (error) {
      throw this.#failure("put", key, error);
    }
  }

  async get(key: string): Promise<Buffer | null> {
    assertValidKey(key);
    try {
      const output = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
      return output.Body ? Buffer.from(await output.Body.transformToByteArray()) : Buffer.alloc(0);
    } catch (error) {
      // Only a missing key is "no object"; a missing bucket (also a 404) is a configuration error.
      if ((error as Error).name === "NoSuchKey") return null;
      throw this.#failure("get", key, error);
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.#client.send(
          new ListObjectsV2Command({ Bucket: this.#bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (error) {
      throw this.#failure("list", prefix, error);
    }
    return keys.sort();
  }

  /** Closes the client's pooled connections; the store is unusable afterwards. */
  destroy(): void {
    this.#client.destroy();
  }

  #failure(action: "put" | "get" | "list", key: string, error: unknown): Error {
    const { name, message } = error instanceof Error ? error : { name: "Error", message: String(error) };
    return new Error(`S3 ${action} of ${key} in bucket ${this.#bucket} failed: ${name}: ${message}`, { cause: error });
  }
}
