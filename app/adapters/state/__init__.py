"""The SQLite run-state store: runs, problems, logs, locks, sent-mail ledger, form watermarks, local secrets."""
