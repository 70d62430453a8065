"""Neural networks: weighted sums, non-linear filters, layers — and a network that learns.

Five sections (ui/network.py, fragments so that a control reruns its own section only):
one neuron worked out by hand, the activation functions and their slopes, why a deep
network without them collapses to one matrix, a TensorFlow-Playground-style training
playground, and backpropagation checked against numerical gradients on the playground's
current network.
"""

import streamlit as st

from ui import network as nn
from ui import network_check as nc
from ui import network_play as npl
from ui.i18n import t
from ui.layout import chapter_header, explain, next_chapter

SECTIONS = (
    ("neuron", nn.neuron_section),
    ("act", nn.activation_section),
    ("lin", nn.linear_section),
    ("play", npl.playground_section),
    ("bp", nc.backprop_section),
)  # the last two are wired together below

chapter_header("nn")
st.latex(r"\text{output} = f_L\big(\cdots f_2\big(f_1(x\,W_1 + b_1)\,W_2 + b_2\big)\cdots\big)")
explain(t("nn.intro"))
st.markdown(
    "  \n".join(
        f"{i}. [{t(f'nn.h_{key}')}](#nn-{key})" for i, (key, _) in enumerate(SECTIONS, start=1)
    )
)

# Every section gets its box first, so that the playground (section 4) can fill the
# gradient check of section 5 with the network it has just trained.
boxes = {}
for i, (key, _) in enumerate(SECTIONS, start=1):
    boxes[key] = st.container()
    with boxes[key]:
        st.divider()
        st.header(f"{i}. {t(f'nn.h_{key}')}", anchor=f"nn-{key}")
for key, section in SECTIONS[:3]:
    with boxes[key]:
        section()
with boxes["bp"]:
    check_box = nc.backprop_section()
with boxes["play"]:
    npl.playground_section(check_box)

next_chapter("nn")
