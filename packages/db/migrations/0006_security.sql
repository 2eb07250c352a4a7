ALTER TABLE "access_tokens" ADD COLUMN "scopes" text[] DEFAULT '{read,write}'::text[] NOT NULL;
--> statement-breakpoint
ALTER TABLE "access_tokens" ADD COLUMN "expires_at" timestamp with time zone;
