"""Garbage collection around start-up: off while the site's modules and app are built, then their objects frozen."""

import gc

# Imported first by main.py: start-up makes hundreds of thousands of objects that live as long as the process, and
# each full collection during the imports would walk all of them again (about a tenth of a cold start).
gc.disable()


def freeze_start_up_objects() -> None:
    """Move every object made so far out of the collector's reach, and collect as usual from here on."""
    # Frozen objects are never walked again: a full collection during a room's burst then costs what the requests
    # allocated, not the whole site.
    gc.freeze()
    gc.enable()
