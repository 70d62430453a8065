"""Streamlit-free chapter models: each chapter's settings (every control declared once,
see ui/state.py) and the values its view shows. Nothing here imports streamlit."""
