"""The shared, pure sheets layer: grids, A1, diff, headers, Thai cell readers, tables, layouts (no I/O)."""
