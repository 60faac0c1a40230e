CREATE TABLE `disposal_items` (
	`disposal_id` text NOT NULL,
	`evidence_no` text NOT NULL,
	`position` integer NOT NULL,
	`outcome` text DEFAULT 'pending' NOT NULL,
	`scanned_seq` integer,
	`scanned_by` text,
	`scanned_at` text,
	`proceeds_minor` integer,
	`resolution` text,
	`resolved_by` text,
	`resolved_seq` integer,
	`resolution_note` text,
	PRIMARY KEY(`disposal_id`, `evidence_no`),
	FOREIGN KEY (`disposal_id`) REFERENCES `disposals`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `disposal_items_item` ON `disposal_items` (`evidence_no`);--> statement-breakpoint
CREATE INDEX `disposal_items_position` ON `disposal_items` (`disposal_id`,`position`);--> statement-breakpoint
CREATE TABLE `disposals` (
	`id` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`disposition` text NOT NULL,
	`authority_kind` text NOT NULL,
	`authority_number` text NOT NULL,
	`authority_date` text NOT NULL,
	`authority_issuer` text NOT NULL,
	`documents` text NOT NULL,
	`case_id` text,
	`item_count` integer NOT NULL,
	`scanned_count` integer DEFAULT 0 NOT NULL,
	`missing_count` integer DEFAULT 0 NOT NULL,
	`open_discrepancies` integer DEFAULT 0 NOT NULL,
	`proposed_by` text NOT NULL,
	`proposed_at` text NOT NULL,
	`proposed_seq` integer NOT NULL,
	`decided_by` text,
	`decided_at` text,
	`decided_seq` integer,
	`decision_reason` text,
	`completed_by` text,
	`completed_seq` integer,
	`completed_on` text,
	`certificate_no` text,
	`last_seq` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `disposals_proposed_seq_unique` ON `disposals` (`proposed_seq`);--> statement-breakpoint
CREATE UNIQUE INDEX `disposals_certificate_no_unique` ON `disposals` (`certificate_no`);--> statement-breakpoint
CREATE INDEX `disposals_status` ON `disposals` (`status`,`proposed_seq`);