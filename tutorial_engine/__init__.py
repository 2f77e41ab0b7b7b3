"""Tutorial steps written as Markdown, rendered once into HTML pages."""

from tutorial_engine.loader import load_tutorial
from tutorial_engine.model import Panel, Step, Tutorial, TutorialError

__all__ = ["Panel", "Step", "Tutorial", "TutorialError", "load_tutorial"]
