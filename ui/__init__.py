"""Streamlit glue shared by the pages: translation, URL-bound widgets, layout."""

# Import pandas before any plotly figure is built in this process. plotly looks pandas
# up with get_module("pandas", should_load=False), which returns a half-imported module
# from sys.modules when another script thread is still importing it ("partially
# initialized module 'pandas' has no attribute 'Series'"). An import statement instead
# waits on the import lock. Every page imports this package before drawing, also on a
# fresh server's first run in legacy pages/ mode, which skips streamlit_app.py
# (found by tests/deploy/test_failover.py: 24 students on 3 fresh replicas).
import pandas  # noqa: F401
