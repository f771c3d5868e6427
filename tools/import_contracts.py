"""Import-linter contracts the built-in ones cannot say (module names like `*_views`).

Used from `[tool.importlinter]` in pyproject.toml; `make lint` runs `lint-imports`.

- `views_on_top`: a view module (`views`, `*_views`, anything under `booking.api`) is imported
  only by `create_app`'s package, its domain's `__init__` (its `init_app` registers it) and
  other views of its own domain. Rules, services, models, mails and feeds never import views,
  and no domain imports another's views.
- `acyclic_modules`: no two modules of the package import each other, directly or through
  others, counting imports inside functions (a function-level import that dodges a cycle is
  still one). Imports under `if TYPE_CHECKING:` are left out by the top-level setting.
"""

from __future__ import annotations

import grimp
from importlinter import Contract, ContractCheck, fields, output


def is_view(module: str) -> bool:
    last = module.rsplit(".", 1)[-1]
    return last == "views" or last.endswith("_views") or module.startswith("booking.api")


def domain_of(module: str) -> str:
    """`booking.exhibitions.meetings.views` → `booking.exhibitions`."""
    return ".".join(module.split(".")[:2])


class ViewsOnTopContract(Contract):
    type_name = "views_on_top"
    root = fields.StringField()

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        packages = {m for m in graph.modules if graph.find_children(m)}
        illegal = []
        for view in sorted(m for m in graph.modules if is_view(m)):
            for importer in sorted(graph.find_modules_that_directly_import(view)):
                same_domain = domain_of(importer) == domain_of(view)
                allowed = importer == self.root or (
                    same_domain and (importer in packages or is_view(importer))
                )
                if not allowed:
                    illegal.append((importer, view))
        return ContractCheck(kept=not illegal, metadata={"illegal": illegal})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, view in check.metadata["illegal"]:
            output.print_error(f"{importer} imports the view module {view}", bold=False)
        output.new_line()


class AcyclicModulesContract(Contract):
    type_name = "acyclic_modules"
    root = fields.StringField()

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        edges = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
        cycles = [c for c in _strongly_connected(edges) if len(c) > 1]
        return ContractCheck(kept=not cycles, metadata={"cycles": cycles})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for cycle in check.metadata["cycles"]:
            output.print_error("These modules import each other: " + ", ".join(cycle), bold=False)
        output.new_line()


def _strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (the graph has hundreds of modules)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(edges.get(target, ())))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    found.append(sorted(component))
    return found
