"""The annual report (政府信息公开工作年度报告) in the national format of 国办公开办函〔2021〕30号.

format.py     the sections, tables, rows, columns and labels as pure data;
figures.py    the cells as entered (blank, "/", numbers), computed totals, sums, carry-forward, and
              ``external_figures``: the one seam for figures kept elsewhere (a 依申请公开 register);
checks.py     the arithmetic and text checks as pure functions returning findings (the only copy:
              the browser asks the server); evaluator.py  the checks a third-party evaluator runs;
reader.py     finds the tables in a workbook as units send them in; importing.py  saves one as a draft;
xlsx.py / docx.py  the exports; drafting.py  first drafts of sections 一, 五 and 六;
collect.py    年报收集: who owes a report, due dates, the district-wide sum; reminders.py  deadline reminders;
services.py   the writes (create, save, submit, return, finalise, publish, note a finding).
"""
