import sys
from pathlib import Path

# tests import their helpers (csl_suite) by name
sys.path.insert(0, str(Path(__file__).parent))


def pytest_terminal_summary(terminalreporter):
    try:
        from test_conformance import RESULTS
    except ImportError:
        return
    if RESULTS:
        passed = sum(RESULTS.values())
        terminalreporter.write_line(f"CSL test suite: {passed} of {len(RESULTS)} fixtures pass")
