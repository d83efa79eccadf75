import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
if "NNARCADE_CACHE" not in os.environ:  # decoded-IDX cache: keep the tests' copies out of the user's
    import tempfile
    os.environ["NNARCADE_CACHE"] = tempfile.mkdtemp(prefix="nnarcade-test-cache-")

import pytest  # noqa: E402

from nn.errors import UserError  # noqa: E402


@pytest.fixture(scope="session")
def opencl():
    """The OpenCL backend. Where no device works this SKIPS, and says why, except under
    NNARCADE_REQUIRE_OPENCL=1 (set by .ci/run), where it fails: CI must test the fast path."""
    from nn.opencl import OpenCLBackend
    try:
        return OpenCLBackend()
    except UserError as exc:
        if os.environ.get("NNARCADE_REQUIRE_OPENCL") == "1":
            pytest.fail(f"OpenCL required but unavailable: {exc}")
        pytest.skip(f"no working OpenCL device: {exc}")


@pytest.fixture(scope="session")
def numpy_backend():
    from nn.numpy_backend import NumpyBackend
    return NumpyBackend()


@pytest.fixture(scope="session")
def mnist():
    from nn import data
    return data.load("train"), data.load("test")


@pytest.fixture
def make_app(tmp_path, monkeypatch):
    """Open the game headless at 1280×720 on a view; player files go to a temporary directory."""
    monkeypatch.setenv("NNARCADE_HOME", str(tmp_path))
    from game.app import App
    apps = []

    def make(view: str = "menu"):
        app = App((1280, 720), view)
        apps.append(app)
        app.run(max_frames=2)
        return app

    yield make
    for app in apps:
        app.quit()
