"""The performance benchmark behind ``manage.py benchmark`` (a benchmark, not a timed test).

    data.py      the synthetic database at scale (units, notices, sections, items, ledger rows, reports)
    timing.py    repeated timings, percentiles and the result rows
    plain.py     the baseline: the same ledger rows from the same query through a plain template
    ledger.py    queries per page, ledger page vs baseline, every sortable column vs the default order
    export.py    the yearly Excel export vs csv.writer of the same rows; peak memory in a subprocess
    docx_import.py  parsing a 40-item .docx breakdown table
    pdf_import.py   parsing a 10-page text PDF of it, and the capped (web) path
    report.py    the printed table and the final RESULT line
    runner.py    one run of all of the above
"""
