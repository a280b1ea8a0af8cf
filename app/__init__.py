"""Connects Thai SME-promotion officers' Google Sheets and Forms to the programs' rules."""
