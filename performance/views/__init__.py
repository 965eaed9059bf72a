"""The performance app's pages, one module per area: returns, periods, imports (and the dashboard)."""
