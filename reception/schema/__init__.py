"""The database schema as a whole: every table, the migrations and the reference data every office needs."""
