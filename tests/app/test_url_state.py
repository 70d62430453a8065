"""Every control on every page is page-prefixed and kept in the URL: either declared in
its chapter's model (ui/state.py: the URL carries option keys) or, for layout state such
as an expander's open flag, bound by Streamlit."""

import pytest

from tests.app.helpers import open_page
from ui.chapters import CHAPTERS
from ui.model import all_models
from ui.state import PARAMS
from ui.widgets import PREFIXES

all_models()  # every declaration in PARAMS

#: Frame controls kept in the URL by hand (ui/urlstate.py), and widget kinds that
#: Streamlit cannot bind (actions, not state).
MANUAL = {"lang", "app_present"}
#: Counters of actions, session-only like the buttons they replace: how many tokens the
#: model has added this session (a value with − / + so that fast clicks all count).
SESSION_ONLY = {"nt_added"}
UNBINDABLE = ("Button", "DownloadButton", "DataEditor", "FileUploader", "ChatInput")
#: Layout blocks may be bound too (an expander's open state), but only when keyed.
LAYOUT = ("Expander", "Tab", "Tabs", "Popover", "Block", "Column", "Dialog")


def _widgets(at):
    seen = []

    def walk(node):
        for child in getattr(node, "children", {}).values():
            walk(child)
        if getattr(node, "key", None) is not None or (
            hasattr(node, "proto") and hasattr(node.proto, "query_param_key")
        ):
            seen.append(node)

    walk(at._tree)
    return seen


@pytest.mark.parametrize("chapter", [c.key for c in CHAPTERS])
def test_every_widget_is_prefixed_and_bound(chapter):
    at = open_page(chapter, "en")
    problems, checked = [], 0
    for w in _widgets(at):
        kind = type(w).__name__
        key = getattr(w, "key", None)
        if kind in UNBINDABLE or key in MANUAL | SESSION_ONLY or not hasattr(w, "proto"):
            continue
        if kind in LAYOUT and key is None:
            continue
        qp = getattr(w.proto, "query_param_key", None)
        if qp is None:
            continue
        checked += 1
        if not key or not key.startswith(PREFIXES):
            problems.append(f"{kind} {key!r}: no page prefix")
        elif qp != key and key not in PARAMS:
            problems.append(f"{kind} {key!r}: neither declared in a chapter model nor bound")
    assert not problems, problems
    assert checked >= 2, f"only {checked} controls found on {chapter}"
