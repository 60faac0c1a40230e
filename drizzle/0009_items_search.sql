-- Item search (GET /items?q=): an FTS5 index over the text people search by. Its rowid is the
-- item's registered_seq (stable under VACUUM, unlike the items table's implicit rowid). The items
-- projector adds a row per registration (a statement of its own: an insert trigger made a 67,000-row
-- import twice as slow); this trigger follows every later change of those columns (a corrected
-- registration, a seal changed), whichever path writes them.
-- unicode61 folds case for every script, Cyrillic and the Kazakh letters (Ә Ғ Қ Ң Ө Ұ Ү Һ І)
-- included; remove_diacritics 2 folds Latin accents only (Cyrillic Й and Ё stay letters of their own).
-- SQLite-only, like FTS5 itself: on PostgreSQL this becomes a tsvector column with a GIN index.
CREATE VIRTUAL TABLE `items_search` USING fts5(
  `make`, `model`, `serial_number`, `seal_no`, `description`,
  tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
INSERT INTO `items_search` (rowid, `make`, `model`, `serial_number`, `seal_no`, `description`)
  SELECT `registered_seq`, `make`, `model`, `serial_number`, `seal_no`, `description` FROM `items`;
--> statement-breakpoint
CREATE TRIGGER `items_search_update` AFTER UPDATE OF `make`, `model`, `serial_number`, `seal_no`, `description` ON `items` BEGIN
  UPDATE `items_search` SET `make` = new.`make`, `model` = new.`model`, `serial_number` = new.`serial_number`,
    `seal_no` = new.`seal_no`, `description` = new.`description`
  WHERE rowid = new.`registered_seq`;
END;
