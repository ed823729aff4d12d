CREATE TABLE "content_api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"rate_limit" integer DEFAULT 600 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp (3) with time zone,
	"revoked_at" timestamp (3) with time zone,
	CONSTRAINT "content_api_keys_rate_limit" CHECK ("content_api_keys"."rate_limit" between 1 and 100000)
);
--> statement-breakpoint
ALTER TABLE "content_api_keys" ADD CONSTRAINT "content_api_keys_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "content_api_keys_token_hash" ON "content_api_keys" USING btree ("token_hash");