// What the settings page sends and sees of an owner's archive bucket: the input rules, the masked
// view and its error. Kept apart from the service so Next's route bundle needs no database code.
import { z } from "zod";

// S3 bucket naming rules: 3-63 of lowercase letters, digits, '.', '-', starting and ending alphanumeric.
const BucketName = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "bucket: 3-63 lowercase letters, digits, '.' or '-'");

export const StorageSettingsInput = z.object({
  endpoint: z
    .url({ protocol: /^https?$/, error: "endpoint: an http(s) URL, e.g. https://gateway.storjshare.io" })
    .max(200),
  region: z.string().trim().min(1, "region is required").max(64),
  bucket: BucketName,
  /** The credentials may be left out when changing other fields: the stored ones are kept. */
  accessKeyId: z.string().trim().min(1).max(256).optional(),
  secretAccessKey: z.string().trim().min(1).max(256).optional(),
});
export type StorageSettingsInput = z.infer<typeof StorageSettingsInput>;

export type StorageSettingsView =
  | { configured: false }
  | {
      configured: true;
      endpoint: string;
      region: string;
      bucket: string;
      accessKeyId: string;
      secretAccessKey: string;
      updatedAt: string;
    };

export class StorageSettingsError extends Error {
  override name = "StorageSettingsError";
}

/** Shows enough of a credential to recognise it and nothing that helps to use it. */
export function maskCredential(value: string): string {
  if (value.length <= 8) return "•".repeat(value.length);
  return `${value.slice(0, 4)}${"•".repeat(Math.min(value.length - 8, 12))}${value.slice(-4)}`;
}
