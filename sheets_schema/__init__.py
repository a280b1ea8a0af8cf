"""The layouts, rules and program targets as data (YAML): shipped with the package, read by app/sheets/layout_files.py."""
