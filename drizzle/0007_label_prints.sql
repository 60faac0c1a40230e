CREATE TABLE `label_prints` (
	`evidence_no` text NOT NULL,
	`seq` integer NOT NULL,
	PRIMARY KEY(`evidence_no`, `seq`)
);
--> statement-breakpoint
CREATE INDEX `label_prints_seq` ON `label_prints` (`seq`);