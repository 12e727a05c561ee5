"""Reports: the official KPI table, forum plans and matching sheets as PDF and Excel."""
