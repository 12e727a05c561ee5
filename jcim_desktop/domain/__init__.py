"""Pure-Python rules of the domain: organisations, codes, dates, fiscal years, KPIs.

Nothing here imports Qt or SQLAlchemy (an import-linter contract keeps it so).
"""
