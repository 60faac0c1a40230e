CREATE TABLE `audit_discrepancies` (
	`audit_id` text NOT NULL,
	`seq` integer NOT NULL,
	`evidence_no` text NOT NULL,
	`kind` text NOT NULL,
	`expected_location_code` text,
	`found_location_code` text,
	`recorded_status` text,
	`outcome` text,
	PRIMARY KEY(`audit_id`, `evidence_no`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `audit_discrepancies_seq_unique` ON `audit_discrepancies` (`seq`);--> statement-breakpoint
CREATE INDEX `audit_discrepancies_kind` ON `audit_discrepancies` (`audit_id`,`kind`,`seq`);--> statement-breakpoint
CREATE TABLE `audit_scans` (
	`audit_id` text NOT NULL,
	`seq` integer NOT NULL,
	`idx` integer NOT NULL,
	`kind` text NOT NULL,
	`code` text NOT NULL,
	`location_code` text NOT NULL,
	`outcome` text NOT NULL,
	`expected_location_code` text,
	`recorded_status` text,
	`in_scope` integer NOT NULL,
	`via_container` text,
	`actor` text NOT NULL,
	`scanner` text NOT NULL,
	`occurred_at` text NOT NULL,
	PRIMARY KEY(`audit_id`, `seq`, `idx`)
);
--> statement-breakpoint
CREATE INDEX `audit_scans_code` ON `audit_scans` (`audit_id`,`code`);--> statement-breakpoint
CREATE INDEX `audit_scans_outcome` ON `audit_scans` (`audit_id`,`outcome`,`seq`);--> statement-breakpoint
CREATE TABLE `audit_streams` (
	`audit_id` text NOT NULL,
	`actor` text NOT NULL,
	`scanner` text NOT NULL,
	`location_code` text NOT NULL,
	PRIMARY KEY(`audit_id`, `actor`, `scanner`)
);
--> statement-breakpoint
CREATE TABLE `audits` (
	`id` text PRIMARY KEY NOT NULL,
	`scope` text NOT NULL,
	`location_code` text,
	`case_id` text,
	`title` text,
	`status` text NOT NULL,
	`expected_at_start` integer NOT NULL,
	`started_by` text NOT NULL,
	`started_at` text NOT NULL,
	`started_seq` integer NOT NULL,
	`closed_by` text,
	`closed_at` text,
	`closed_seq` integer,
	`summary` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `audits_started_seq_unique` ON `audits` (`started_seq`);--> statement-breakpoint
CREATE INDEX `audits_status` ON `audits` (`status`,`started_seq`);--> statement-breakpoint
CREATE TABLE `unable_to_locate` (
	`audit_id` text NOT NULL,
	`evidence_no` text NOT NULL,
	`reported_seq` integer NOT NULL,
	`reported_at` text NOT NULL,
	`last_location_code` text,
	`due_at` text NOT NULL,
	`status` text NOT NULL,
	`resolved_seq` integer,
	`resolved_by` text,
	`resolved_at` text,
	`found_location_code` text,
	`reason` text,
	PRIMARY KEY(`audit_id`, `evidence_no`)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `unable_to_locate_reported_seq_unique` ON `unable_to_locate` (`reported_seq`);--> statement-breakpoint
CREATE INDEX `unable_to_locate_status` ON `unable_to_locate` (`status`,`reported_seq`);--> statement-breakpoint
CREATE INDEX `unable_to_locate_item` ON `unable_to_locate` (`evidence_no`,`status`);