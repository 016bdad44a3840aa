"""What the offline cache page's chores say: how far one got, and in one report what it did.

Plain functions of the core's reports, so that each text is written once. They keep the
translation context ``CacheDialog``: they were the dialog's own, and translators find them
with the rest of the page.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from viewer.cache.housekeeping import VerifyProgress
from viewer.cache.importer import ImportProgress
from viewer.cache.models import DamagedEntry, EvictReport, ImportReport, VerifyReport
from viewer.display import MB

GB = 1_000_000_000


def format_size(size: int) -> str:
    """Bytes as people read them, in the units of ``cache.max_size`` (GB = 10^9 bytes)."""
    if size >= GB:
        return f"{size / GB:.1f} GB"
    return f"{size / MB:.1f} MB"


def usage_text(size: int, budget: int, studies: int) -> str:
    return (
        QCoreApplication.translate("CacheDialog", "%1 used of %2 · %3 studies")
        .replace("%1", format_size(size))
        .replace("%2", format_size(budget))
        .replace("%3", str(studies))
    )


def removed_text(removed: int, problems: list[str]) -> str:
    text = QCoreApplication.translate("CacheDialog", "Removed %1 stud(ies).").replace(
        "%1", str(removed)
    )
    if problems:
        text += " " + QCoreApplication.translate("CacheDialog", "Not removed: %1").replace(
            "%1", "; ".join(problems)
        )
    return text


def evict_text(report: EvictReport) -> str:
    if report.evicted:
        text = (
            QCoreApplication.translate(
                "CacheDialog", "Freed %1 by removing %2 least recently used stud(ies)."
            )
            .replace("%1", format_size(report.freed))
            .replace("%2", str(len(report.evicted)))
        )
    else:
        text = QCoreApplication.translate(
            "CacheDialog", "Nothing removed: the cache is within its maximum size (%1)."
        ).replace("%1", format_size(report.target))
    kept = []
    if report.kept_pinned:
        kept.append(
            QCoreApplication.translate("CacheDialog", "%1 pinned").replace(
                "%1", str(len(report.kept_pinned))
            )
        )
    if report.kept_open:
        kept.append(
            QCoreApplication.translate("CacheDialog", "%1 open").replace(
                "%1", str(len(report.kept_open))
            )
        )
    if kept:
        text += " " + QCoreApplication.translate("CacheDialog", "Kept: %1.").replace(
            "%1", ", ".join(kept)
        )
    if not report.within_budget:
        text += " " + QCoreApplication.translate(
            "CacheDialog", "Still over the maximum size: unpin studies or remove them by hand."
        )
    return text


def verify_text(report: VerifyReport) -> str:
    if report.ok:
        return QCoreApplication.translate(
            "CacheDialog", "Verified %1 file(s): all intact."
        ).replace("%1", str(report.checked))
    lines = [
        QCoreApplication.translate(
            "CacheDialog",
            "Verified %1 file(s): %2 damaged, removed so that they are fetched again:",
        )
        .replace("%1", str(report.checked))
        .replace("%2", str(len(report.damaged)))
    ]
    # By instance, not file: a pack holds many instances.
    lines += [
        QCoreApplication.translate("CacheDialog", "• %1: %2")
        .replace("%1", d.sop_uid)
        .replace("%2", problem_text(d))
        for d in report.damaged[:10]
    ]
    if len(report.damaged) > 10:
        lines.append(
            QCoreApplication.translate("CacheDialog", "… and %1 more").replace(
                "%1", str(len(report.damaged) - 10)
            )
        )
    return "\n".join(lines)


def verify_cancelled_text(last: VerifyProgress) -> str:
    text = (
        QCoreApplication.translate("CacheDialog", "Verify cancelled after %1 of %2 file(s).")
        .replace("%1", str(last.checked))
        .replace("%2", str(last.total))
    )
    if last.damaged:
        text += " " + QCoreApplication.translate(
            "CacheDialog",
            "%1 damaged file(s) found until then were removed so that they are fetched again.",
        ).replace("%1", str(last.damaged))
    return text


def problem_text(entry: DamagedEntry) -> str:
    """What verify found wrong, in the window's language; the core's detail only
    where it says more than the kind (the system's reason a file cannot be read)."""
    texts = {
        "missing": QCoreApplication.translate("CacheDialog", "file missing"),
        "wrong_size": QCoreApplication.translate("CacheDialog", "file size wrong"),
        "pack_short": QCoreApplication.translate("CacheDialog", "its pack file is cut short"),
        "checksum_mismatch": QCoreApplication.translate("CacheDialog", "checksum mismatch"),
        "unreadable": QCoreApplication.translate("CacheDialog", "unreadable: %1").replace(
            "%1", entry.detail
        ),
    }
    return texts[entry.kind]


def verify_progress_text(progress: VerifyProgress) -> str:
    return (
        QCoreApplication.translate("CacheDialog", "Verifying: %1 of %2 file(s)")
        .replace("%1", str(progress.checked))
        .replace("%2", str(progress.total))
    )


def import_text(report: ImportReport) -> str:
    text = (
        QCoreApplication.translate("CacheDialog", "Imported %1 image(s) of %2 stud(ies) from %3.")
        .replace("%1", str(report.imported))
        .replace("%2", str(len(report.studies)))
        .replace("%3", str(report.source))
    )
    if report.skipped:
        text += " " + (
            QCoreApplication.translate(
                "CacheDialog", "Skipped %1 file(s): %2 not DICOM, %3 unreadable."
            )
            .replace("%1", str(report.skipped))
            .replace("%2", str(len(report.not_dicom)))
            .replace("%3", str(len(report.unreadable)))
        )
    return text


def import_cancelled_text(last: ImportProgress) -> str:
    return (
        QCoreApplication.translate(
            "CacheDialog",
            "Import cancelled after %1 of %2 file(s): the %3 image(s) imported until "
            "then are kept. Import the same folder again to bring the rest.",
        )
        .replace("%1", str(last.files_done))
        .replace("%2", str(last.files_total))
        .replace("%3", str(last.imported))
    )


def import_progress_text(progress: ImportProgress) -> str:
    return (
        QCoreApplication.translate(
            "CacheDialog", "Importing: %1 of %2 file(s), %3 image(s) imported"
        )
        .replace("%1", str(progress.files_done))
        .replace("%2", str(progress.files_total))
        .replace("%3", str(progress.imported))
    )


def exported_text(count: int, folder: Path) -> str:
    return (
        QCoreApplication.translate("CacheDialog", "Exported %1 file(s) to %2.")
        .replace("%1", str(count))
        .replace("%2", str(folder))
    )
