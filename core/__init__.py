"""Pure NumPy math behind every page. No streamlit, no plotly, no user-facing text."""
