DROP INDEX "runs_project_created_idx";--> statement-breakpoint
DROP INDEX "fields_project_path_num_idx";--> statement-breakpoint
DROP INDEX "fields_project_path_str_idx";--> statement-breakpoint
CREATE INDEX "fields_project_path_type_idx" ON "fields" USING btree ("project_id","path","type");--> statement-breakpoint
CREATE INDEX "fields_project_path_bool_idx" ON "fields" USING btree ("project_id","path","bool","run_id") WHERE type = 'bool';--> statement-breakpoint
CREATE INDEX "fields_project_path_date_idx" ON "fields" USING btree ("project_id","path","date","run_id") WHERE type = 'datetime';--> statement-breakpoint
CREATE INDEX "fields_project_path_last_idx" ON "fields" USING btree ("project_id","path","last","run_id") WHERE type = 'floatSeries';--> statement-breakpoint
CREATE INDEX "runs_project_created_idx" ON "runs" USING btree ("project_id","created_at","id");--> statement-breakpoint
CREATE INDEX "fields_project_path_num_idx" ON "fields" USING btree ("project_id","path","num","run_id") WHERE type = 'float';--> statement-breakpoint
CREATE INDEX "fields_project_path_str_idx" ON "fields" USING btree ("project_id","path","type","str","run_id") WHERE str IS NOT NULL;