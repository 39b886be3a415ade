"""The dashboard's library: everything the Streamlit pages do besides laying out elements.

Takes the DuckDB database the ETL builds (see ``etl/schema.sql``); gives DataFrames
(``app.queries``), plotly figures (``app.charts``), translated labels (``app.i18n``), the sidebar
filters kept in the URL (``app.filters``), CSV exports (``app.export``) and the rendering helpers
the pages share (``app.ui``). Only ``app.db`` opens the database.
"""
