"""Reads a workbook with openpyxl (a spreadsheet reader other than accord's own) and prints,
per sheet, what guides entry: the frozen panes, the note on each header cell, and each data
validation (type, list or formula, the cells it covers, its input message), as JSON."""
import json
import sys

import openpyxl

book = openpyxl.load_workbook(sys.argv[1])
out = {}
for sheet in book.worksheets:
    headers = [c.value for c in sheet[1]]
    notes = {}
    for cell in sheet[1]:
        if cell.comment is not None:
            notes[str(cell.value)] = cell.comment.text
    validations = []
    for v in sheet.data_validations.dataValidation:
        validations.append({
            "type": v.type,
            "formula1": v.formula1,
            "sqref": str(v.sqref),
            "prompt": v.prompt,
            "show_input": bool(v.showInputMessage),
            "error_style": v.errorStyle,
        })
    out[sheet.title] = {
        "frozen": sheet.freeze_panes,
        "headers": headers,
        "max_row": sheet.max_row,
        "notes": notes,
        "validations": validations,
    }
print(json.dumps(out, sort_keys=True))
