"""Every error class the core defines derives from core.errors.ExplorableError and carries
a machine-readable ``code`` (the UI translates ``errors.<code>``; the exception's own text
is never shown)."""

import importlib
import inspect
import pkgutil

import pytest

import core
from core.errors import ExplorableError


def _core_errors() -> list[type[BaseException]]:
    found = []
    for info in pkgutil.iter_modules(core.__path__):
        module = importlib.import_module(f"core.{info.name}")
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, BaseException) and obj.__module__ == module.__name__:
                found.append(obj)
    return found


def test_the_core_defines_errors():
    names = {c.__name__ for c in _core_errors()}
    assert {"DatasetError", "MLPError", "ActivationError", "GPTError"} <= names


@pytest.mark.parametrize("cls", _core_errors(), ids=lambda c: c.__name__)
def test_every_core_error_is_an_explorable_error(cls):
    assert issubclass(cls, ExplorableError)


def test_a_raised_error_keeps_its_code_and_detail():
    import numpy as np

    from core.datasets import make_dataset

    with pytest.raises(ExplorableError) as e:
        make_dataset("no-such-data", n=10, noise=0.1, rng=np.random.default_rng(0))
    assert e.value.code == "unknown_dataset", e.value.code
    assert e.value.info == {"detail": "no-such-data"}
