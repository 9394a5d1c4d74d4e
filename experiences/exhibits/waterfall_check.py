"""Validation of exhibit-waterfall packages beyond the schema: the ids and tags it names, against what is
installed now. Packages come and go, so an id or tag that finds nothing is a warning; choosing nothing at all
(an empty list and no tags) is an error, since the wall could never show a cover.
"""
from __future__ import annotations

from experiences.exhibits.waterfall_flow import select_packages

MANIFEST = "experience.toml"
KIND = "exhibit-waterfall"


def _installed_catalog():
    from experiences.catalog import Catalog

    return Catalog.scan()


def waterfall_check(catalog_factory=_installed_catalog):
    """A check(package, report) that compares the manifest with the packages `catalog_factory()` returns."""

    def check(package, report) -> None:
        content = package.manifest.content
        chosen = content.get("packages", "all")
        tags = content.get("tags", []) if isinstance(content.get("tags"), list) else []
        if chosen != "all" and not chosen and not tags:
            report.error(MANIFEST, "content.packages", "waterfall_nothing_chosen")
            return
        from experiences.kinds import default_registry

        catalog = catalog_factory()
        known = {p.id for p in catalog.all()}
        installed = catalog.playable(default_registry())  # what the wall could show: packages that run
        for field in ("packages", "exclude"):
            ids = content.get(field)
            for index, package_id in enumerate(ids if isinstance(ids, list) else []):
                if package_id == package.id:
                    report.warning(MANIFEST, f"content.{field}[{index}]", "waterfall_lists_itself", id=package_id)
                elif package_id not in known:
                    report.warning(MANIFEST, f"content.{field}[{index}]", "waterfall_unknown_package", id=package_id)
        for index, tag in enumerate(tags):
            if not select_packages(installed, "all", [tag], own_kind=KIND):
                report.warning(MANIFEST, f"content.tags[{index}]", "waterfall_tag_unmatched", tag=tag)
        shown = select_packages(installed, chosen, tags, content.get("exclude", []), own_kind=KIND)
        if not shown:
            report.warning(MANIFEST, "content", "waterfall_shows_nothing_now")

    return check


check_waterfall = waterfall_check()
