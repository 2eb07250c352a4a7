CREATE TABLE "community_matching_settings" (
	"community_id" integer PRIMARY KEY NOT NULL,
	"experts_per_round" smallint DEFAULT 3 NOT NULL,
	"rounds" smallint DEFAULT 2 NOT NULL,
	"escalate_minutes" integer DEFAULT 120 NOT NULL,
	"newcomer_escalate_minutes" integer DEFAULT 30 NOT NULL,
	"match_questions" text DEFAULT 'all' NOT NULL,
	"show_expert_names" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "expert_community_preferences" (
	"user_id" integer NOT NULL,
	"community_id" integer NOT NULL,
	"matching" text NOT NULL,
	"wanted_tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"muted_tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "expert_community_preferences_user_id_community_id_pk" PRIMARY KEY("user_id","community_id")
);
--> statement-breakpoint
CREATE TABLE "expert_matches" (
	"id" serial PRIMARY KEY NOT NULL,
	"thread_id" integer NOT NULL,
	"expert_id" integer NOT NULL,
	"round" smallint NOT NULL,
	"kind" text DEFAULT 'expert' NOT NULL,
	"rank" smallint NOT NULL,
	"score" integer DEFAULT 0 NOT NULL,
	"reasons" text[] DEFAULT '{}'::text[] NOT NULL,
	"signals" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"state" text DEFAULT 'notified' NOT NULL,
	"decline_reason" text,
	"replaces_match_id" integer,
	"notified_at" timestamp with time zone DEFAULT now() NOT NULL,
	"seen_at" timestamp with time zone,
	"responded_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "expert_settings" (
	"user_id" integer PRIMARY KEY NOT NULL,
	"weekly_cap" smallint DEFAULT 10,
	"quiet_start" smallint,
	"quiet_end" smallint,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "expert_stats" (
	"user_id" integer NOT NULL,
	"community_id" integer NOT NULL,
	"tag" text NOT NULL,
	"answers" integer DEFAULT 0 NOT NULL,
	"accepted" integer DEFAULT 0 NOT NULL,
	"score" integer DEFAULT 0 NOT NULL,
	"last_answer_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "expert_stats_community_id_tag_user_id_pk" PRIMARY KEY("community_id","tag","user_id")
);
--> statement-breakpoint
CREATE TABLE "match_requests" (
	"thread_id" integer PRIMARY KEY NOT NULL,
	"community_id" integer NOT NULL,
	"round" smallint DEFAULT 0 NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"newcomer" boolean DEFAULT false NOT NULL,
	"next_escalation_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "community_matching_settings" ADD CONSTRAINT "community_matching_settings_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expert_community_preferences" ADD CONSTRAINT "expert_community_preferences_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expert_community_preferences" ADD CONSTRAINT "expert_community_preferences_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expert_matches" ADD CONSTRAINT "expert_matches_thread_id_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expert_matches" ADD CONSTRAINT "expert_matches_expert_id_users_id_fk" FOREIGN KEY ("expert_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expert_settings" ADD CONSTRAINT "expert_settings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expert_stats" ADD CONSTRAINT "expert_stats_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expert_stats" ADD CONSTRAINT "expert_stats_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_requests" ADD CONSTRAINT "match_requests_thread_id_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_requests" ADD CONSTRAINT "match_requests_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "expert_prefs_community_idx" ON "expert_community_preferences" USING btree ("community_id");--> statement-breakpoint
CREATE UNIQUE INDEX "expert_matches_thread_expert_uq" ON "expert_matches" USING btree ("thread_id","expert_id");--> statement-breakpoint
CREATE INDEX "expert_matches_expert_idx" ON "expert_matches" USING btree ("expert_id","notified_at");--> statement-breakpoint
CREATE UNIQUE INDEX "expert_matches_replaces_uq" ON "expert_matches" USING btree ("replaces_match_id");--> statement-breakpoint
CREATE INDEX "expert_stats_user_idx" ON "expert_stats" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "match_requests_due_idx" ON "match_requests" USING btree ("next_escalation_at") WHERE "match_requests"."state" = 'open';