"""The OpenCL fast path (PyOpenCL; PoCL makes it run on any CPU)."""
from .backend import OpenCLBackend, describe_platforms, make_context

__all__ = ["OpenCLBackend", "describe_platforms", "make_context"]
