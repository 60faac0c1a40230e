-- Tiles gain their interior nodes (next migration). The rows are derived data: clear them, and the
-- ledger rebuilds them from the events when it opens (src/ledger/tiles.ts, rebuildTiles).
DELETE FROM `merkle_tiles`;
