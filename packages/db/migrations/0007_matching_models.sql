CREATE TABLE "matching_models" (
	"community_id" integer NOT NULL,
	"version" integer NOT NULL,
	"kind" text NOT NULL,
	"model" jsonb NOT NULL,
	"in_use" boolean NOT NULL,
	"trained_at" timestamp with time zone DEFAULT now() NOT NULL,
	"training_questions" integer NOT NULL,
	"validation_questions" integer NOT NULL,
	"validation_mrr" double precision NOT NULL,
	"validation_s3" double precision NOT NULL,
	"weighted_mrr" double precision NOT NULL,
	"most_active_mrr" double precision NOT NULL,
	"most_active_s3" double precision NOT NULL,
	CONSTRAINT "matching_models_community_id_version_pk" PRIMARY KEY("community_id","version")
);
--> statement-breakpoint
ALTER TABLE "matching_models" ADD CONSTRAINT "matching_models_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;
