"""Files the commands write: checked before any work, written under a temporary name beside
them and renamed when complete, so that a failed run leaves what was there unchanged.

``ParquetInOrder`` writes ``assess-population``'s result batches in the order of the persons
table. Batches of whole families come in ranges of person ids (``engine.batches``); when the
persons table is not sorted by id and there is more than one batch, each batch's rows are
spread over scratch files of consecutive input positions ("buckets", Arrow IPC beside the
output), and each bucket is then sorted and appended in turn: memory stays about one batch,
and the rows are those of a single pass, in the same order.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # parsing the command line loads neither NumPy nor Polars
    import numpy as np
    import numpy.typing as npt
    import polars as pl

__all__ = [
    "MAX_BUCKETS",
    "OutputError",
    "ParquetInOrder",
    "PendingFile",
    "check_outputs",
    "write_at_once",
]

MAX_BUCKETS = 256  # scratch files open at once while rows are put back in the input's order
_POSITION = "__input_position"


class OutputError(Exception):
    """An output that cannot or must not be written; the message names the option and path."""


class PendingFile:
    """An output file of option ``option`` at ``path``, written as ``<name>.partial`` and
    renamed over ``path`` by :meth:`commit`. Its folder is created when writing begins, and
    removed again by :meth:`discard` if the run fails and it is still empty."""

    def __init__(self, option: str, path: Path) -> None:
        self.option = option
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        self._created: list[Path] = []
        self._scratch: Path | None = None
        self._started = False
        self._committed = False

    def begin(self) -> Path:
        """Creates the missing folders; returns the temporary path to write."""
        if not self._started:
            self._started = True  # from here on, a failure is cleaned up by discard()
            missing = [p for p in (self.path.parent, *self.path.parent.parents) if not p.exists()]
            with self.writing():
                for folder in reversed(missing):
                    folder.mkdir()
                    self._created.append(folder)
        return self.partial

    def scratch(self) -> Path:
        """A scratch folder beside the output (same file system), removed with the output's
        temporary file."""
        if self._scratch is None:
            self.begin()
            with self.writing():
                self._scratch = Path(
                    tempfile.mkdtemp(prefix=f".{self.path.name}.", dir=self.path.parent)
                )
        return self._scratch

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Turns an operating-system error while writing into an :class:`OutputError`."""
        try:
            yield
        except OSError as error:
            reason = error.strerror or str(error)
            raise OutputError(f"{self.option} {self.path}: cannot be written ({reason})") from None

    def commit(self) -> None:
        self.drop_scratch()
        with self.writing():
            self.partial.replace(self.path)  # nothing half-written under the output's name
        self._committed = True

    def drop_scratch(self) -> None:
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    def discard(self) -> None:
        """After a failure: the temporary files and the folders this run created go; what was
        at ``path`` stays."""
        self.drop_scratch()
        if not self._started or self._committed:
            return
        with suppress(OSError):
            if self.partial.is_file() or self.partial.is_symlink():
                self.partial.unlink()
        for folder in reversed(self._created):
            try:
                folder.rmdir()
            except OSError:
                break  # not empty (or gone): leave it and its parents
        self._created = []


def check_outputs(outputs: Sequence[PendingFile], inputs: Sequence[tuple[str, Path]]) -> None:
    """Refuses, before any work, an output that is a folder or not a regular file (a device or
    a FIFO would be replaced by the rename), whose folder is a file or cannot be written, that
    is one of the ``inputs`` ((table, path) pairs), or that another output names too — as its
    file or as the temporary ``.partial`` file written beside it, which the rename would move
    over the other output."""
    seen: dict[Path, str] = {}
    for output in outputs:
        where = f"{output.option} {output.path}"
        temporary = f"{where} (its temporary file {output.partial.name})"
        for written, named, what in (
            (output.path, where, "file"),
            (output.partial, temporary, "temporary file"),
        ):
            _check_not_input(named, written, inputs)
            resolved = written.resolve()
            if resolved in seen:
                raise OutputError(f"{named}: is also the {seen[resolved]}; give another name")
            seen[resolved] = f"{output.option} {what}"
        if os.path.lexists(output.path):
            if output.path.is_dir():
                raise OutputError(f"{where}: is a folder; give the name of a file to write")
            if output.path.exists() and not stat.S_ISREG(output.path.stat().st_mode):
                raise OutputError(
                    f"{where}: is not a regular file (a device, a FIFO …); the output is "
                    "written beside it and renamed over it, which would replace it"
                )
        folder = _nearest_existing(output.path.parent)
        if not folder.is_dir():
            raise OutputError(f"{where}: {folder} is a file, not a folder")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise OutputError(f"{where}: the folder {folder} cannot be written")


def _check_not_input(where: str, path: Path, inputs: Sequence[tuple[str, Path]]) -> None:
    for table, source in inputs:
        same = (
            os.path.samefile(path, source)
            if path.exists() and source.exists()
            else path.resolve() == source.resolve()
        )
        if same:
            raise OutputError(
                f"{where}: is where the population's {table} table is read from; writing "
                "there would change the input, give another name"
            )


def _nearest_existing(folder: Path) -> Path:
    for candidate in (folder, *folder.parents):
        if os.path.lexists(candidate):
            return candidate
    return folder  # pragma: no cover - the root exists


class ParquetInOrder:
    """Result batches written to ``output`` as one Parquet file in the persons table's order.

    ``ids`` is the persons table's ``person_id`` column in its order. When it is increasing, or
    ``batch_rows`` covers everyone (one batch), batches are written as they come; otherwise
    through buckets of consecutive input positions (see the module's docstring), each of at most
    ``max(batch_rows, persons / MAX_BUCKETS)`` rows.
    """

    def __init__(self, output: PendingFile, ids: npt.NDArray[np.int64], batch_rows: int) -> None:
        import numpy as np

        self._output = output
        self._writer: Any = None
        self._buckets: dict[int, Any] = {}
        self._bucket_paths: dict[int, Path] = {}
        increasing = ids.size < 2 or bool(np.all(ids[1:] > ids[:-1]))
        self.reorders = not increasing and ids.size > batch_rows
        if self.reorders:
            self._order = np.argsort(ids, kind="stable")  # sorted index -> input position
            self._sorted = ids[self._order]
            self._rows = max(batch_rows, -(-ids.size // MAX_BUCKETS))

    def write(self, frame: pl.DataFrame) -> None:
        if not self.reorders:
            self._append(frame.to_arrow())
            return
        import numpy as np
        import polars as pl

        positions = self._order[np.searchsorted(self._sorted, frame["person_id"].to_numpy())]
        bucket = positions // self._rows
        order = np.argsort(bucket, kind="stable")
        frame = frame.with_columns(pl.Series(_POSITION, positions))[order]
        bucket = bucket[order]
        starts = np.flatnonzero(np.r_[True, bucket[1:] != bucket[:-1]])
        ends = [*starts[1:], bucket.size]
        for start, end in zip(starts, ends, strict=True):
            self._to_bucket(int(bucket[start]), frame.slice(int(start), int(end - start)))

    def _to_bucket(self, bucket: int, piece: pl.DataFrame) -> None:
        import pyarrow as pa

        table = piece.to_arrow()
        with self._output.writing():
            if bucket not in self._buckets:
                path = self._output.scratch() / f"{bucket}.arrow"
                self._bucket_paths[bucket] = path
                self._buckets[bucket] = pa.ipc.new_file(str(path), table.schema)
            self._buckets[bucket].write_table(table)

    def _append(self, table: Any) -> None:
        import pyarrow.parquet as pq

        with self._output.writing():
            if self._writer is None:
                self._writer = pq.ParquetWriter(self._output.begin(), table.schema)
            self._writer.write_table(table)

    def close(self) -> None:
        """Finishes the temporary file (the buckets, in order, when reordering)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        with self._output.writing():
            for writer in self._buckets.values():
                writer.close()
        self._buckets = {}
        for bucket in sorted(self._bucket_paths):
            path = self._bucket_paths[bucket]
            with self._output.writing(), pa.memory_map(str(path)) as source:
                rows = pa.ipc.open_file(source).read_all()
                table = rows.take(pc.sort_indices(rows[_POSITION])).drop_columns([_POSITION])
                del rows  # the mapped file is let go before the next
            self._append(table)
            del table
            with self._output.writing():
                path.unlink()
        with self._output.writing():
            if self._writer is not None:
                self._writer.close()
                self._writer = None

    def abort(self) -> None:
        """After a failure: closes what is open (the files are removed by ``discard``)."""
        for writer in [*self._buckets.values(), self._writer]:
            if writer is not None:
                with suppress(Exception):  # already failing: the first error is the one reported
                    writer.close()
        self._buckets, self._writer = {}, None


def write_at_once(output: PendingFile, write: Callable[[Path], None]) -> None:
    """Writes a small output at once under its temporary name (``write(path)``)."""
    path = output.begin()
    with output.writing():
        write(path)
