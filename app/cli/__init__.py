"""`python -m app`: the command line."""
