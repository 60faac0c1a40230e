CREATE TABLE `merkle_tiles` (
	`level` integer NOT NULL,
	`idx` integer NOT NULL,
	`width` integer NOT NULL,
	`hashes` blob NOT NULL,
	PRIMARY KEY(`level`, `idx`)
);
