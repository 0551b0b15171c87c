"""The annual report (政府信息公开工作年度报告) in the national format of 国办公开办函〔2021〕30号.

format.py  the sections, tables, rows, columns and labels as pure data;
checks.py  the arithmetic and text checks as pure functions returning findings;
reader.py  finds the tables in a workbook as units send them in;
xlsx.py / docx.py  the exports; drafting.py  first drafts of sections 一, 五 and 六.
"""
