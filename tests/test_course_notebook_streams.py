"""course.notebook.execute joins a print that the kernel sent in pieces, and never moves text past a figure."""
from __future__ import annotations

import nbformat

from course.notebook import execute, merge_adjacent_streams


def _stream(text, name="stdout"):
    return nbformat.v4.new_output("stream", name=name, text=text)


def test_adjacent_pieces_of_one_stream_are_joined_and_nothing_else_is():
    figure = nbformat.v4.new_output("display_data", data={"text/plain": "<Figure>"})
    outputs = [_stream("pyplot figures:"), _stream(" 0\n"), _stream("warn\n", "stderr"), _stream("x\n", "stderr"),
               figure, _stream("after\n")]
    merged = merge_adjacent_streams(outputs)
    assert [(o["output_type"], o.get("name"), o.get("text")) for o in merged] == [
        ("stream", "stdout", "pyplot figures: 0\n"), ("stream", "stderr", "warn\nx\n"),
        ("display_data", None, None), ("stream", "stdout", "after\n")]
    assert merge_adjacent_streams([]) == []


def test_a_print_flushed_in_the_middle_reaches_the_notebook_as_one_text(tmp_path):
    # the flush forces the kernel to send the first piece on its own, as its flush thread may on a busy machine
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import sys\nsys.stdout.write('pyplot figures:'); sys.stdout.flush()\nprint(' 0')\n"
        "display('a figure')\nprint('after')")]
    execute(nb, cwd=tmp_path)
    outputs = nb.cells[0].outputs
    assert [o["output_type"] for o in outputs] == ["stream", "display_data", "stream"]
    assert outputs[0]["text"] == "pyplot figures: 0\n" and outputs[2]["text"] == "after\n"
