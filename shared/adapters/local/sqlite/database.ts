import Database from 'better-sqlite3';

/** A better-sqlite3 connection. */
export type SqliteDatabase = Database.Database;

/**
 * Opens (creating if needed) the runtime's SQLite database with the settings every local adapter relies on:
 * WAL so readers never block the writer, a busy timeout so several connections (one per worker thread)
 * wait for each other instead of failing, and foreign keys on.
 */
export function openDatabase(path: string): SqliteDatabase {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 10000');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  return db;
}

/** Applies a named schema change once per database (tracked in `schema_migrations`). */
export function migrate(db: SqliteDatabase, name: string, sql: string): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)',
  );
  const apply = db.transaction(() => {
    const done = db.prepare('SELECT 1 FROM schema_migrations WHERE name = ?').get(name);
    if (done) return;
    db.exec(sql);
    db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)').run(name, Date.now());
  });
  apply.immediate();
}
