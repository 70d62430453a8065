"""The framework's floor: one slider and one line of text, nothing else.

The benchmarks measure it next to the real pages, in the same run, so that a page's
numbers can be read as "× the cost of Streamlit itself" on this machine today.
"""

import streamlit as st

x = st.slider("x", 0, 100, 50, key="x")
st.write(f"x = {x}")
