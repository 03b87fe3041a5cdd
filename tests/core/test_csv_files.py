"""CSV downloads (stalking_clinic/csv_files.py): every cell guarded against formulas."""

import csv
import io

from stalking_clinic.csv_files import csv_download, write_rows


def test_rows_are_written_with_every_text_cell_guarded():
    out = io.StringIO()
    write_rows(out, ["name", "count"], [["=HYPERLINK(x)", 3], [None, -4], ["Ann", "-"]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["name", "count"],
        ["'=HYPERLINK(x)", "3"],
        ["", "-4"],
        ["Ann", "'-"],
    ]


def test_a_download_is_an_attachment_never_kept():
    response = csv_download("figures.csv", ["a"], [["+1"]])
    assert response["Content-Disposition"] == 'attachment; filename="figures.csv"'
    assert response["Cache-Control"] == "no-store"
    assert response.content.decode().splitlines() == ["a", "'+1"]
