"""Render every detection for every target, and compare two such renders.

    python scripts/render_diff.py dump DIR [--project P]
    python scripts/render_diff.py compare OLD NEW

``dump`` writes ``<id>.<target>.sql`` for athena, trino and duckdb, rendered the way hunts and
``trailhunt render`` do (Athena SQL from the renderer; DuckDB through the window-independent
translation), with a fixed window and ``fixtures/contexts/demo.yaml``. A render that fails is
written as a ``-- RENDER ERROR`` line, so the comparison sees it.

``compare`` reports each file as identical bytes, whitespace only with the same sqlglot tree
(parsed in trino for athena/trino, duckdb for duckdb), or DIFFERENT with a short unified diff.
Exit status 1 when anything is different, missing on one side, or does not parse.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from datetime import UTC, datetime
from pathlib import Path

TARGETS = ("athena", "trino", "duckdb")
WINDOW_START = datetime(2026, 1, 1, tzinfo=UTC)
WINDOW_END = datetime(2026, 1, 8, tzinfo=UTC)
CONTEXT = Path("fixtures/contexts/demo.yaml")
DIFF_LINES = 40
REPO = Path(__file__).resolve().parent.parent


def dump(out: Path, project_dir: Path) -> int:
    """Render every detection × target into ``out``; the number of files written."""
    from trailhunt.catalog.catalog import load_catalog
    from trailhunt.catalog.project import Project
    from trailhunt.problems import ProblemError
    from trailhunt.render.context import load_context
    from trailhunt.render.renderer import Renderer, RenderOptions
    from trailhunt.render.window import Window
    from trailhunt.validate.fixtures import translate_detection

    project = Project.locate(project_dir)
    catalog = load_catalog(project)
    renderer = Renderer(project)
    context = load_context(project.root / CONTEXT)
    window = Window(WINDOW_START, WINDOW_END)
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for detection in sorted(catalog.detections, key=lambda d: d.id):
        for target in TARGETS:
            options = RenderOptions(context=context, window=window, target=target)
            try:
                if target == "duckdb":
                    text = translate_detection(renderer, detection, options).duckdb_sql + "\n"
                else:
                    text = renderer.render(detection, options)
            except ProblemError as error:
                text = f"-- RENDER ERROR: {error}\n"
            (out / f"{detection.id}.{target}.sql").write_text(text, encoding="utf-8")
            written += 1
    return written


def _same_tree(old: str, new: str, dialect: str) -> bool:
    import sqlglot

    try:
        trees = [sqlglot.parse(text, read=dialect) for text in (old, new)]
    except sqlglot.errors.ParseError:
        return False
    return trees[0] == trees[1] and [t and t.sql(dialect) for t in trees[0]] == [
        t and t.sql(dialect) for t in trees[1]
    ]


def _whitespace_only(old: str, new: str) -> bool:
    return "".join(old.split()) == "".join(new.split())


def classify(old: str, new: str, target: str) -> str:
    """``identical``, ``whitespace`` (same sqlglot tree) or ``different``."""
    if old == new:
        return "identical"
    dialect = "duckdb" if target == "duckdb" else "trino"
    if _whitespace_only(old, new) and _same_tree(old, new, dialect):
        return "whitespace"
    return "different"


def compare(old_dir: Path, new_dir: Path) -> int:
    """Print one line per file that is not identical and a summary; 1 when anything differs."""
    names = sorted({p.name for p in old_dir.glob("*.sql")} | {p.name for p in new_dir.glob("*.sql")})
    counts = {"identical": 0, "whitespace": 0, "different": 0, "missing": 0}
    for name in names:
        old_path, new_path = old_dir / name, new_dir / name
        if not (old_path.is_file() and new_path.is_file()):
            counts["missing"] += 1
            print(f"MISSING   {name}: only in {old_dir if old_path.is_file() else new_dir}")
            continue
        old, new = old_path.read_text(encoding="utf-8"), new_path.read_text(encoding="utf-8")
        kind = classify(old, new, name.rsplit(".", 2)[1])
        counts[kind] += 1
        if kind == "whitespace":
            print(f"WHITESPACE {name}: whitespace only, same sqlglot tree")
        elif kind == "different":
            print(f"DIFFERENT {name}")
            diff = difflib.unified_diff(
                old.splitlines(), new.splitlines(), str(old_path), str(new_path), lineterm="", n=1
            )
            for line in list(diff)[:DIFF_LINES]:
                print(f"    {line[:200]}")
    print(
        f"{len(names)} files: {counts['identical']} identical, {counts['whitespace']} whitespace only "
        f"(same AST), {counts['different']} DIFFERENT, {counts['missing']} missing"
    )
    return 1 if counts["different"] or counts["missing"] else 0


def main(argv: list[str] | None = None) -> int:
    """Parse the subcommand and run it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    verbs = parser.add_subparsers(dest="verb", required=True)
    dump_parser = verbs.add_parser("dump", help="render every detection for athena, trino and duckdb")
    dump_parser.add_argument("out", type=Path)
    dump_parser.add_argument("--project", type=Path, default=REPO, help="project folder (this checkout)")
    compare_parser = verbs.add_parser("compare", help="compare two dumps")
    compare_parser.add_argument("old", type=Path)
    compare_parser.add_argument("new", type=Path)
    args = parser.parse_args(argv)
    if args.verb == "dump":
        print(f"wrote {dump(args.out, args.project)} files to {args.out}")
        return 0
    for folder in (args.old, args.new):
        if not folder.is_dir():
            print(f"render_diff: {folder}: no such folder (run `dump` first)", file=sys.stderr)
            return 2
    return compare(args.old, args.new)


if __name__ == "__main__":
    sys.exit(main())
