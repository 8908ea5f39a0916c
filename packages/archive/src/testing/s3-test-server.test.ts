// The test server must behave like Storj for what the archive uses: SigV4 checked on every call,
// bucket-level requests as the SDK signs them, and paginated listings.
import {
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type S3TestServer, startS3TestServer } from "./s3-test-server";

const credentials = { accessKeyId: "server-test-key", secretAccessKey: "server-test-secret", bucket: "nervesys-list" };

let server: S3TestServer;
const clients: S3Client[] = [];

/** The SDK as the archive configures it for Storj. */
function client(overrides: Partial<S3ClientConfig> = {}): S3Client {
  const c = new S3Client({
    endpoint: server.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    forcePathStyle: true,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts: 1,
    ...overrides,
  });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  server = await startS3TestServer(credentials);
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await server.close();
});

describe("startS3TestServer", () => {
  it("serves the configured bucket to a HeadBucket signed with the configured credentials", async () => {
    const output = await client().send(new HeadBucketCommand({ Bucket: credentials.bucket }));
    expect(output.$metadata.httpStatusCode).toBe(200);
  });

  it("rejects a bucket-level request signed with the wrong secret", async () => {
    const wrong = client({ credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: "wrong" } });
    await expect(wrong.send(new ListObjectsV2Command({ Bucket: credentials.bucket }))).rejects.toThrow(
      /signature we calculated does not match/,
    );
  });

  it("rejects s3rver's built-in S3RVER key", async () => {
    const builtIn = client({ credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } });
    await expect(builtIn.send(new ListObjectsV2Command({ Bucket: credentials.bucket }))).rejects.toThrow(
      /Access Key Id you provided does not exist/,
    );
  });

  it("pages through ListObjectsV2 with continuation tokens", async () => {
    const c = client();
    const keys = ["list/a", "list/b", "list/c", "list/d", "list/e"];
    for (const key of keys) await c.send(new PutObjectCommand({ Bucket: credentials.bucket, Key: key, Body: key }));

    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const page = await c.send(
        new ListObjectsV2Command({ Bucket: credentials.bucket, Prefix: "list/", MaxKeys: 2, ContinuationToken: token }),
      );
      pages.push((page.Contents ?? []).map((object) => object.Key ?? ""));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
      expect(pages.length).toBeLessThanOrEqual(3);
    } while (token);

    expect(pages).toEqual([["list/a", "list/b"], ["list/c", "list/d"], ["list/e"]]);
  });
});
