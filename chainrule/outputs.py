"""The files the command writes (``--graph``, ``--steps``): all of them, or none.

Every path is checked before any work is done, every picture is made before anything is written,
and the files are moved in place together at the end (``autograd.files``), so a run that fails
leaves each file it was asked to write exactly as it was.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

import viz
from autograd import Value
from autograd.extend import Staged, commit, stage

from .errors import CommandError
from .report import excerpt, one_line

GRAPH_FORMATS = (".svg", ".png", ".pdf", ".dot")
STEPS_FORMATS = (".html", ".htm")
#: The largest --max-nodes each output takes: Graphviz lays out a picture of this many nodes in
#: seconds. The replay is one picture too, with a few bytes per step: at 500 nodes an MLP's loss
#: or a chain takes 1 to 2 s and makes a page of 1.2 to 1.7 MB, and a graph of many crossing
#: arrows about 15 s on a busy machine (1,000 such nodes took 90 s).
MAX_GRAPH_NODES = 2_000
MAX_STEPS_NODES = 500


def check_limits(args: argparse.Namespace) -> None:
    """Refuse a --max-nodes larger than what each requested output can draw in reasonable time."""
    if args.max_nodes is None:
        return
    for option, asked, most in (("--graph", args.graph, MAX_GRAPH_NODES), ("--steps", args.steps, MAX_STEPS_NODES)):
        if asked and args.max_nodes > most:
            raise CommandError(
                f"--max-nodes {args.max_nodes:,}: {option} draws at most {most:,} nodes "
                "(more would take minutes); draw a smaller expression"
            )


def check_paths(args: argparse.Namespace) -> None:
    """Reject bad output paths before any work is done, so no file is written for bad input."""
    if args.local and not args.graph:
        raise CommandError("--local only applies to --graph; add --graph FILE")
    for option, path, formats in (("--graph", args.graph, GRAPH_FORMATS), ("--steps", args.steps, STEPS_FORMATS)):
        if path is None:
            continue
        extension = os.path.splitext(path)[1].lower()
        if extension not in formats:
            raise CommandError(f"{option} {excerpt(path, 200)}: the file must end in {', '.join(formats)}")
        directory = os.path.dirname(os.path.abspath(path))
        if os.path.isdir(path):
            raise CommandError(f"{option} {excerpt(path, 200)} is a directory; give a file name")
        if not os.path.isdir(directory):
            raise CommandError(f"{option} {excerpt(path, 200)}: the directory {excerpt(directory, 200)} does not exist")
        if not os.access(directory, os.W_OK):
            raise CommandError(
                f"{option} {excerpt(path, 200)}: the directory {excerpt(directory, 200)} is not writable"
            )
    if args.graph and args.steps and os.path.realpath(args.graph) == os.path.realpath(args.steps):  # links too
        raise CommandError("--graph and --steps name the same file; give two different files")


def prepare(args: argparse.Namespace, build: Callable[[], Value]) -> list[Staged]:
    """Draw every output into a temporary file beside its path; nothing is replaced yet.

    ``build`` makes a fresh graph of the expression each time, so each drawing starts clean.
    """
    limit = {} if args.max_nodes is None else {"max_nodes": args.max_nodes}  # else each output's default
    staged: list[Staged] = []
    option, path = "", ""
    try:
        if args.graph:
            option, path = "--graph", args.graph
            root = build()
            root.backward()  # the drawing shows the gradients
            fmt = os.path.splitext(path)[1].lower()[1:]  # each extension is its Graphviz format's name
            data = viz.render_data(root, fmt, f"render to {excerpt(path, 200)}", show_local=args.local, **limit)
            staged.append(stage(path, data, option))
        if args.steps:
            option, path = "--steps", args.steps
            page = viz.backprop_page(build(), operation=f"save_backprop_html to {excerpt(path, 200)}", **limit)
            staged.append(stage(path, page.encode("utf-8"), option))
    except BaseException as e:
        for s in staged:
            s.discard()
        if isinstance(e, (viz.GraphvizMissingError, viz.GraphTooLargeError, RuntimeError, OSError)):
            raise _command_error(e, option, path) from None
        raise
    return staged


def write(staged: list[Staged]) -> None:
    """Move the prepared files in place, all or none, and say so on stderr."""
    if not staged:
        return
    try:
        commit(staged)
    except OSError as e:
        raise CommandError(one_line(str(e))) from None
    for s in staged:  # on stderr, so that --json output stays pure JSON
        print(f"wrote {s.path}", file=sys.stderr)


def _command_error(e: BaseException, option: str, path: str) -> CommandError:
    if isinstance(e, OSError):
        return CommandError(f"{option} {excerpt(path, 200)}: could not write the file ({e.strerror or e})")
    if isinstance(e, viz.GraphTooLargeError):
        most = MAX_GRAPH_NODES if option == "--graph" else MAX_STEPS_NODES
        if isinstance(e, viz.GraphTooTangledError):  # its advice names a Python argument, max_edges
            needed = -(-e.segments * e.max_nodes // e.max_edges)  # the arrow budget grows with --max-nodes
            problem = (
                f"{option}: the graph has only {e.node_count} nodes, but values used by operations far apart "
                f"make long arrows, {e.segments} segments for Graphviz to lay out"
            )
        else:
            needed = e.node_count
            problem = f"{option}: the graph has {e.node_count} nodes, more than --max-nodes {e.max_nodes}"
        if needed > most:  # no --max-nodes the command takes would do: do not suggest one
            return CommandError(f"{problem}, more than {option} draws in reasonable time; draw a smaller expression")
        return CommandError(
            f"{problem}; draw a smaller expression, or pass --max-nodes {needed} to draw it all (Graphviz may take a while)"
        )
    return CommandError(one_line(str(e)))
