"""Executes notebooks on the project's Deno kernel and writes them back with their outputs (run by `npm run notebooks`
through run.mjs, which sets JUPYTER_DATA_DIR to notebooks/.jupyter so that the kernel `deno` is the committed one).

    python3 execute.py NOTEBOOK.ipynb FAILED_DIR

Exit 0: the notebook ran without a cell error and was rewritten in place (atomically). Exit 1: a cell failed; the
committed notebook is left untouched and the executed copy, with the error, goes to FAILED_DIR.

Two things make re-execution byte-identical:
- no timing metadata (`record_timing = False`, and old `metadata.execution` entries are dropped);
- after a cell's "idle" status the iopub channel is read for DRAIN_SECONDS more: Deno's kernel sometimes reports
  "idle" ~1 ms before the cell's last display or result message, which nbclient (stopping at "idle") would drop.
"""
import os
import sys
import tempfile
from queue import Empty

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbclient.util import ensure_async

DRAIN_SECONDS = 0.25
CELL_TIMEOUT_SECONDS = 600


class DrainingClient(NotebookClient):
    """nbclient's client, except that it keeps collecting a cell's outputs for DRAIN_SECONDS after "idle"."""

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        await super()._async_poll_output_msg(parent_msg_id, cell, cell_index)
        while True:
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=DRAIN_SECONDS))
            except Empty:
                return
            if msg["parent_header"].get("msg_id") == parent_msg_id and msg["msg_type"] != "status":
                self.process_message(msg, cell, cell_index)


def write_atomic(nb, path):
    folder = os.path.dirname(os.path.abspath(path))
    mode = os.stat(path).st_mode & 0o777 if os.path.exists(path) else 0o644
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".ipynb.tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            nbformat.write(nb, f)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def main(path, failed_dir):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    client = DrainingClient(
        nb,
        timeout=CELL_TIMEOUT_SECONDS,
        record_timing=False,
        kernel_name=nb.metadata.kernelspec.name,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )
    try:
        client.execute()
    except CellExecutionError as e:
        os.makedirs(failed_dir, exist_ok=True)
        failed = os.path.join(failed_dir, os.path.basename(path))
        write_atomic(nb, failed)
        print(f"{path}: a cell failed (the executed copy is {failed}):\n{e}", file=sys.stderr)
        return 1
    write_atomic(nb, path)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
