"""Adapters at the edge: the only modules that import gspread, googleapiclient, openpyxl, smtplib or sqlite3."""
