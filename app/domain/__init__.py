"""Pure domain code: rules, formulas and typing. Imports nothing of ours outside app.domain, and no I/O."""
