"""Executes the example notebook and writes it back with its outputs, so that it shows its tables
and charts where notebooks are browsed (GitHub, nbviewer). ``--check`` writes nothing and fails
when the committed outputs differ from a fresh run's: every text output (tables, numbers,
messages) must be the same, and every chart must be there (image bytes depend on matplotlib's
version and are not compared).

    python examples/run_notebook.py          # refresh the committed outputs
    python examples/run_notebook.py --check  # what the tests run
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import nbclient
import nbformat

NOTEBOOK = Path(__file__).resolve().parent / "desi_2022.ipynb"


def execute(path: Path = NOTEBOOK) -> Any:
    """The notebook run top to bottom in a fresh kernel, without timing metadata."""
    notebook = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    return notebook


def read(path: Path = NOTEBOOK) -> Any:
    """The notebook as committed."""
    return nbformat.read(path, as_version=4)


def fingerprint(notebook: Any) -> list[list[tuple[str, str]]]:
    """Per code cell, its outputs as (kind, text): text outputs in full, images by kind only."""
    cells = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                outputs.append((f"stream:{output.name}", output.text))
            elif output.output_type == "error":
                outputs.append(("error", f"{output.ename}: {output.evalue}"))
            else:
                data = output.get("data", {})
                for kind in sorted(data):
                    text = "" if kind.startswith("image/") else str(data[kind])
                    outputs.append((kind, text))
        cells.append(outputs)
    return cells


def main() -> int:
    fresh = execute()
    if "--check" in sys.argv[1:]:
        if fingerprint(read()) != fingerprint(fresh):
            print(f"{NOTEBOOK.name}: the committed outputs are stale; run python {Path(__file__).name}")
            return 1
        print(f"{NOTEBOOK.name}: the committed outputs are current")
        return 0
    nbformat.write(fresh, NOTEBOOK)
    print(f"wrote {NOTEBOOK} with its outputs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
