-- Trigram matching for global search (⌘K). pg_trgm is a trusted extension on PostgreSQL 13+, so the database
-- owner may create it; PGlite loads it from @electric-sql/pglite/contrib (db/pglite.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
