"""Serve single files from npm packages without collecting their whole folder.

Some packages ship a large `dist/` (mermaid: 120 MB of sources, maps and
chunks) of which the pages need one bundled file. `KHCN_NODE_FILES` maps a
static path to that file; this finder makes it visible to collectstatic and
WhiteNoise like any other static file.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage


class NodeFileFinder(BaseFinder):
    def _files(self) -> dict[str, Path]:
        return {k: Path(v) for k, v in getattr(settings, "KHCN_NODE_FILES", {}).items()}

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        source = self._files().get(path)
        if source is None or not source.exists():
            return [] if find_all else None
        return [str(source)] if find_all else str(source)

    def list(self, ignore_patterns):
        for static_path, source in self._files().items():
            if not source.exists():
                continue
            storage = FileSystemStorage(location=str(source.parent))
            storage.prefix = str(Path(static_path).parent)
            yield source.name, storage
