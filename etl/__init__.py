"""ETL for Chinese government information-disclosure annual reports (政府信息公开工作年度报告).

Stages, each a module that takes and gives the records in ``etl.model``:

1. ``readers``    file → ``Document`` (txt in any Chinese encoding, HTML, PDF, DOCX)
2. ``normalize``  raw text → normalized text (full-width forms, traditional → simplified,
                  pinyin glosses, split digits, boilerplate, duplicated pastes)
3. ``sections``   normalized text → the report's numbered sections
4. ``tables``, ``prose``, ``problems``, ``places``, ``dates`` → facts, themes, bureau, year
5. ``validate``   the template's arithmetic and cross-checks → ``Issue`` records
6. ``extract``    runs 1–5 for one file → ``Report``
7. ``load``       reports → a new DuckDB file swapped in atomically
"""
