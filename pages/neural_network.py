"""Neural networks: weighted sums, non-linear filters, layers — and a network that learns.

Five sections, each a fragment (ui/network.py): one neuron worked out by hand, the
activation functions and their slopes, why a deep network without them collapses to one
matrix, a TensorFlow-Playground-style training playground, and backpropagation checked
against numerical gradients.
"""

import streamlit as st

from ui import network as nn
from ui.i18n import t
from ui.layout import chapter_header, next_chapter

SECTIONS = (
    ("neuron", nn.neuron_section),
    ("act", nn.activation_section),
    ("lin", nn.linear_section),
    ("play", nn.playground_section),
    ("bp", nn.backprop_section),
)

chapter_header("nn")
st.latex(r"\text{output} = f_L\big(\cdots f_2\big(f_1(x\,W_1 + b_1)\,W_2 + b_2\big)\cdots\big)")
st.markdown(t("nn.intro"))
st.markdown(
    "  \n".join(
        f"{i}. [{t(f'nn.h_{key}')}](#nn-{key})" for i, (key, _) in enumerate(SECTIONS, start=1)
    )
)

for i, (key, section) in enumerate(SECTIONS, start=1):
    st.divider()
    st.header(f"{i}. {t(f'nn.h_{key}')}", anchor=f"nn-{key}")
    section()

next_chapter("nn")
