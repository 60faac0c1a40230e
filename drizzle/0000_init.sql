CREATE TABLE `checkpoints` (
	`tree_size` integer PRIMARY KEY NOT NULL,
	`root_hash` text NOT NULL,
	`head_hash` text NOT NULL,
	`signed_at` text NOT NULL,
	`note` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `events` (
	`seq` integer PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` text NOT NULL,
	`occurred_at` text NOT NULL,
	`recorded_at` text NOT NULL,
	`actor` text NOT NULL,
	`data` text NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `events_entity` ON `events` (`entity_type`,`entity_id`,`seq`);--> statement-breakpoint
CREATE TABLE `ledger_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`ledger_id` text NOT NULL,
	`head_seq` integer NOT NULL,
	`head_hash` text NOT NULL,
	`frontier` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `cases` (
	`id` text PRIMARY KEY NOT NULL,
	`number` text NOT NULL,
	`title` text NOT NULL,
	`legal_basis` text NOT NULL,
	`agency` text NOT NULL,
	`opened_on` text NOT NULL,
	`status` text NOT NULL,
	`created_seq` integer NOT NULL,
	`updated_seq` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cases_number_unique` ON `cases` (`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `cases_created_seq_unique` ON `cases` (`created_seq`);--> statement-breakpoint
CREATE TABLE `evidence_counters` (
	`year` integer PRIMARY KEY NOT NULL,
	`last_serial` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `items` (
	`evidence_no` text PRIMARY KEY NOT NULL,
	`year` integer NOT NULL,
	`serial` integer NOT NULL,
	`case_id` text NOT NULL,
	`seizure_id` text NOT NULL,
	`category` text NOT NULL,
	`make` text,
	`model` text,
	`serial_number` text,
	`quantity` integer DEFAULT 1 NOT NULL,
	`unit` text DEFAULT 'pcs' NOT NULL,
	`hashrate_ths` real,
	`power_w` real,
	`seal_no` text,
	`condition` text,
	`description` text,
	`parent_evidence_no` text,
	`status` text DEFAULT 'registered' NOT NULL,
	`location_code` text,
	`custodian_user_id` text,
	`holder_party_id` text,
	`checkout_purpose` text,
	`due_at` text,
	`value_minor` integer,
	`value_currency` text,
	`value_as_of` text,
	`registered_seq` integer NOT NULL,
	`last_seq` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`seizure_id`) REFERENCES `seizures`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `items_registered_seq_unique` ON `items` (`registered_seq`);--> statement-breakpoint
CREATE INDEX `items_case` ON `items` (`case_id`,`registered_seq`);--> statement-breakpoint
CREATE INDEX `items_seizure` ON `items` (`seizure_id`,`registered_seq`);--> statement-breakpoint
CREATE INDEX `items_serial_number` ON `items` (`serial_number`);--> statement-breakpoint
CREATE INDEX `items_status` ON `items` (`status`,`registered_seq`);--> statement-breakpoint
CREATE INDEX `items_location` ON `items` (`location_code`,`registered_seq`) WHERE "items"."location_code" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `items_custodian` ON `items` (`custodian_user_id`) WHERE "items"."custodian_user_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `items_holder` ON `items` (`holder_party_id`) WHERE "items"."holder_party_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `items_category` ON `items` (`category`,`registered_seq`);--> statement-breakpoint
CREATE INDEX `items_due` ON `items` (`due_at`) WHERE "items"."due_at" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `locations` (
	`code` text PRIMARY KEY NOT NULL,
	`serial` integer NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`parent_code` text,
	`path` text NOT NULL,
	`created_seq` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `locations_serial_unique` ON `locations` (`serial`);--> statement-breakpoint
CREATE UNIQUE INDEX `locations_created_seq_unique` ON `locations` (`created_seq`);--> statement-breakpoint
CREATE INDEX `locations_parent` ON `locations` (`parent_code`);--> statement-breakpoint
CREATE TABLE `parties` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`contact` text,
	`reference` text,
	`created_seq` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `parties_created_seq_unique` ON `parties` (`created_seq`);--> statement-breakpoint
CREATE TABLE `seizures` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`farm_name` text NOT NULL,
	`region` text NOT NULL,
	`address` text NOT NULL,
	`latitude` real,
	`longitude` real,
	`seized_at` text NOT NULL,
	`seizing_officer` text NOT NULL,
	`warrant_ref` text NOT NULL,
	`legal_ground` text NOT NULL,
	`outcome` text NOT NULL,
	`estimated_load_kw` real,
	`created_seq` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `seizures_created_seq_unique` ON `seizures` (`created_seq`);--> statement-breakpoint
CREATE INDEX `seizures_case` ON `seizures` (`case_id`,`created_seq`);--> statement-breakpoint
CREATE TABLE `api_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`prefix` text NOT NULL,
	`issued_at` text NOT NULL,
	`revoked_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `credentials` (
	`token_id` text PRIMARY KEY NOT NULL,
	`secret_hash` text NOT NULL,
	FOREIGN KEY (`token_id`) REFERENCES `api_tokens`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `credentials_secret_hash_unique` ON `credentials` (`secret_hash`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`display_name` text NOT NULL,
	`role` text NOT NULL,
	`disabled` integer DEFAULT false NOT NULL,
	`created_seq` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_unique` ON `users` (`username`);