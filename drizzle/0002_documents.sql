CREATE TABLE `documents` (
	`sha256` text PRIMARY KEY NOT NULL,
	`media_type` text NOT NULL,
	`size` integer NOT NULL,
	`kind` text NOT NULL,
	`title` text,
	`added_by` text NOT NULL,
	`added_at` text NOT NULL,
	`added_seq` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `documents_added_seq_unique` ON `documents` (`added_seq`);