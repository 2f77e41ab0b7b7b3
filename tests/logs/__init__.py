"""Tests of the Logs page."""
