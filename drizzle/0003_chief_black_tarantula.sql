CREATE TABLE `report_payloads` (
	`fingerprint` text PRIMARY KEY NOT NULL,
	`deflated` blob NOT NULL,
	`size` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `reports` (
	`fingerprint` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`parameters` text NOT NULL,
	`tree_size` integer NOT NULL,
	`root_hash` text NOT NULL,
	`first_seq` integer NOT NULL,
	`last_seq` integer NOT NULL,
	`times_made` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `reports_kind` ON `reports` (`kind`,`first_seq`);