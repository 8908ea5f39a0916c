CREATE TABLE "archive_objects" (
	"id" serial PRIMARY KEY NOT NULL,
	"server_id" uuid NOT NULL,
	"key" varchar(512) NOT NULL,
	"location" varchar(16) NOT NULL,
	"bytes" bigint NOT NULL,
	"raw_bytes" bigint NOT NULL,
	"records" integer NOT NULL,
	"first_timestamp" timestamp with time zone NOT NULL,
	"last_timestamp" timestamp with time zone NOT NULL,
	"sha256" varchar(64) NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vault_secrets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"name" varchar(100) NOT NULL,
	"key_id" varchar(32) NOT NULL,
	"iv" varchar(24) NOT NULL,
	"ciphertext" text NOT NULL,
	"tag" varchar(32) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "servers" ADD COLUMN "last_status" varchar(20);--> statement-breakpoint
ALTER TABLE "servers" ADD COLUMN "last_alerts" jsonb;--> statement-breakpoint
ALTER TABLE "archive_objects" ADD CONSTRAINT "archive_objects_server_id_servers_id_fk" FOREIGN KEY ("server_id") REFERENCES "public"."servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vault_secrets" ADD CONSTRAINT "vault_secrets_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "archive_objects_server_key_idx" ON "archive_objects" USING btree ("server_id","key");--> statement-breakpoint
CREATE INDEX "archive_objects_server_time_idx" ON "archive_objects" USING btree ("server_id","first_timestamp" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "vault_secrets_owner_name_idx" ON "vault_secrets" USING btree ("owner_id","name");