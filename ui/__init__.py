"""Streamlit glue shared by the pages: translation, URL-bound widgets, layout."""
