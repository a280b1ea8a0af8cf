"""`python -m app` → the command line."""
import sys

from app.cli.main import main

sys.exit(main())
