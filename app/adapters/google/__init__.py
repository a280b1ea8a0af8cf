"""Google adapters: Sheets on gspread, Forms on google-api-python-client, auth, bounded retry."""
