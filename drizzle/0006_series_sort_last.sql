DROP INDEX "fields_project_path_last_idx";--> statement-breakpoint
ALTER TABLE "fields" ADD COLUMN "sort_last" double precision;--> statement-breakpoint
UPDATE "fields" SET "sort_last" = "last" WHERE "type" = 'floatSeries' AND "last" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "fields_project_path_sort_last_idx" ON "fields" USING btree ("project_id","path","sort_last","run_id") WHERE type = 'floatSeries';
