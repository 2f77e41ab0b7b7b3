"""Tutorial steps written as Markdown, rendered once into HTML pages."""

from typing import Any

from tutorial_engine.model import Panel, Step, Tutorial, TutorialError

__all__ = ["Panel", "Step", "Tutorial", "TutorialError", "load_tutorial"]


def __getattr__(name: str) -> Any:
    """`load_tutorial`, imported on first use: Markdown and Pygments are not needed until the steps are rendered."""
    if name == "load_tutorial":
        from tutorial_engine.loader import load_tutorial

        return load_tutorial
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
